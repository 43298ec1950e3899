// Message tracing for listeners and connectors with `messageLoggingComponents` (reference §1.3,
// §8.6): the chosen properties and application-properties of each message received, in
// qdrouterd's words at trace level of module MESSAGE:
//   [C3]: Received Message{to="q1", reply-to="r", app-properties={"k"=1}} on link 'l' (-> q1)
// Only connections that ask for it come here, and only with MESSAGE at trace is anything decoded.

import { Decoder } from '../amqp/codec/decoder';
import { AmqpArray, AmqpMap, AmqpSymbol, AmqpValue, Described, Typed } from '../amqp/codec/values';
import type { Link } from '../amqp/link';
import { Section } from '../amqp/message-sections';
import type { ModuleLogger } from './logger';

/** The properties fields in list order (part 3 §3.2.4), then app-properties: qdrouterd's order. */
const PROPERTY_FIELDS = [
  'message-id', 'user-id', 'to', 'subject', 'reply-to', 'correlation-id', 'content-type', 'content-encoding',
  'absolute-expiry-time', 'creation-time', 'group-id', 'group-sequence', 'reply-to-group-id',
] as const;

export const MESSAGE_LOG_COMPONENTS = [...PROPERTY_FIELDS, 'app-properties'] as const;
export type MessageLogComponent = typeof MESSAGE_LOG_COMPONENTS[number];

/** What a connection logs of each message; undefined (nothing) is what the forwarding path tests. */
export type MessageLogging = ReadonlySet<MessageLogComponent>;

/** Reads a `messageLoggingComponents` value (`none`, `all` or a comma list; the schema checked it). */
export function parseMessageLogging(value: string | undefined): MessageLogging | undefined {
  const words = (value ?? 'none').split(',').map((w) => w.trim()).filter((w) => w !== '');
  if (words.includes('all')) return new Set(MESSAGE_LOG_COMPONENTS);
  const chosen = words.filter((w): w is MessageLogComponent => (MESSAGE_LOG_COMPONENTS as readonly string[]).includes(w));
  return chosen.length === 0 ? undefined : new Set(chosen);
}

/** Logs one received message when MESSAGE is at trace; `head` holds its first bytes at least. */
export function logReceivedMessage(log: ModuleLogger, connId: number, link: Link, head: Buffer, chosen: MessageLogging): void {
  if (!log.enabled('trace')) return;
  const a = link.remoteAttach;
  log.trace(`[C${connId}]: Received ${describeMessage(head, chosen)} on link '${link.name}' (${a?.source?.address ?? ''} -> ${a?.target?.address ?? ''})`);
}

/**
 * `Message{field=value, ...}` with the chosen fields the message has, from its properties and
 * application-properties sections. A head cut short (a message still arriving) shows what is there.
 */
export function describeMessage(payload: Buffer, chosen: MessageLogging): string {
  const parts: string[] = [];
  const d = new Decoder(payload);
  try {
    while (d.remaining > 0) {
      if (d.byte() !== 0x00) break; // not a described section: nothing more to read here
      const code = sectionCode(d.value());
      if (code === Section.properties) {
        const list = d.value();
        if (!Array.isArray(list)) break;
        PROPERTY_FIELDS.forEach((name, i) => {
          if (chosen.has(name) && list[i] !== undefined && list[i] !== null) parts.push(`${name}=${fieldText(list[i])}`);
        });
      } else if (code === Section.applicationProperties) {
        const map = d.value();
        if (chosen.has('app-properties')) parts.push(`app-properties=${fieldText(map)}`);
        break;
      } else if (code >= Section.data) break; // the body: application-properties come before it
      else d.skip();
    }
  } catch {
    // Truncated or malformed: what was read so far is still worth a line.
  }
  return `Message{${parts.join(', ')}}`;
}

/** Section descriptors by symbol (part 3 §3.2), for the rare sender that writes them so. */
const SYMBOLIC: Readonly<Record<string, number>> = {
  'amqp:header:list': Section.header, 'amqp:delivery-annotations:map': Section.deliveryAnnotations,
  'amqp:message-annotations:map': Section.messageAnnotations, 'amqp:properties:list': Section.properties,
  'amqp:application-properties:map': Section.applicationProperties,
};

function sectionCode(descriptor: AmqpValue): number {
  if (descriptor instanceof Typed) return descriptor.number;
  if (descriptor instanceof AmqpSymbol) return SYMBOLIC[descriptor.value] ?? Section.data; // else a body section
  return -1;
}

/** A value as qdrouterd prints message fields: "string", :"symbol", b"binary", T/F, {k=v}, [a, b]. */
export function fieldText(v: AmqpValue): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `"${printable(v)}"`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return `b"${printable(v.toString('latin1'))}"`;
  if (v instanceof AmqpSymbol) return `:"${printable(v.value)}"`;
  if (v instanceof Typed) return typedText(v);
  if (v instanceof AmqpMap) return `{${v.entries.map(([k, x]) => `${fieldText(k)}=${fieldText(x)}`).join(', ')}}`;
  if (v instanceof AmqpArray) return `[${v.values.map(fieldText).join(', ')}]`;
  if (Array.isArray(v)) return `[${v.map(fieldText).join(', ')}]`;
  if (v instanceof Described) return `@${fieldText(v.descriptor)} ${fieldText(v.value)}`;
  return String(v);
}

function typedText(v: Typed): string {
  if (v.type === 'timestamp' && typeof v.value === 'number') return `"${localTime(v.value)}"`;
  if (v.type === 'uuid' && Buffer.isBuffer(v.value)) {
    // qdrouterd prints nothing for a uuid; a uuid message-id is too common to leave out.
    const h = v.value.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  if (v.type === 'char' && typeof v.value === 'number') return `'${printable(String.fromCodePoint(v.value))}'`;
  if (Buffer.isBuffer(v.value)) return `0x${v.value.toString('hex')}`;
  return String(v.value);
}

/** qdrouterd's "%Y-%m-%d %H:%M:%S.mmm %z" in local time. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const abs = Math.abs(off);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
    + ` ${off < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}${p(abs % 60)}`;
}

/** Control characters as \xNN, so that one message stays one log line. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
