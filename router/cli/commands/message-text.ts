// How `weft send --print` and `weft receive` show a message: the body on one line, and with
// --print the properties and annotations as one JSON line (x-opt-qd.trace shows the routers
// a message went through).

import { Message, message as rheaMessage } from 'rhea';
import { binary } from '../../observe/amqp-inspect';

/** Binary bodies longer than this are shown by size only. */
const MAX_SHOWN_BYTES = 64;

const PROPERTY_NAMES = [
  'message_id', 'user_id', 'to', 'subject', 'reply_to', 'correlation_id', 'content_type', 'content_encoding',
  'absolute_expiry_time', 'creation_time', 'group_id', 'group_sequence', 'reply_to_group_id',
] as const;

/** rhea hands a data section over as { typecode: 0x75, content }. */
interface Section { typecode: number; content: unknown; multiple?: boolean }

function isSection(b: unknown): b is Section {
  return typeof b === 'object' && b !== null && typeof (b as Section).typecode === 'number' && 'content' in b;
}

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.length > MAX_SHOWN_BYTES ? `<binary, ${body.length} bytes>` : binary(body);
  if (isSection(body)) {
    const parts = body.multiple && Array.isArray(body.content) ? body.content : [body.content];
    return parts.map(bodyText).join(' ');
  }
  return JSON.stringify(body, jsonValue) ?? String(body);
}

export function detailsJson(message: Message): string {
  const properties: Record<string, unknown> = {};
  const m = message as unknown as Record<string, unknown>;
  for (const name of PROPERTY_NAMES) if (m[name] !== undefined) properties[name] = m[name];
  const out: Record<string, unknown> = { properties };
  if (message.message_annotations !== undefined) out.message_annotations = message.message_annotations;
  if (message.application_properties !== undefined) out.application_properties = message.application_properties;
  return JSON.stringify(out, jsonValue);
}

/** Binaries as b"…" text and bigints as numbers' text, which JSON cannot carry as they are. */
function jsonValue(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (Buffer.isBuffer(raw)) return binary(raw);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The demo responder's answer: the same body upper-cased. */
export function upperCased(body: unknown): unknown {
  if (typeof body === 'string') return body.toUpperCase();
  if (Buffer.isBuffer(body)) return Buffer.from(body.toString('latin1').toUpperCase(), 'latin1');
  if (isSection(body) && Buffer.isBuffer(body.content)) return rheaMessage.data_section(upperCased(body.content));
  return body;
}
