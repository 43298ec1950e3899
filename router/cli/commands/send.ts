// `weft send`: sends COUNT messages and reports their outcomes; with --request, waits for a
// reply to each on a dynamic address (request/response through the router).

import { Message, Receiver, Sender, SenderOptions, message as rheaMessage } from 'rhea';
import { OptionSpec, UsageError, parseArgs } from '../args';
import { BrokerUrl, DEFAULT_URL, parseBrokerUrl } from './broker-url';
import { Client, DYNAMIC_SOURCE, EXIT_FAILED, EXIT_OK } from './client';
import { Command, out, usageOf } from './command';
import { bodyText, detailsJson } from './message-text';
import { OutcomeTally } from './outcome-tally';
import { room, unwritten } from './sender-room';

const SPECS: readonly OptionSpec[] = [
  { long: 'broker', short: 'b', type: 'string', metavar: 'URL', help: `router to connect to (default ${DEFAULT_URL})` },
  { long: 'address', short: 'a', type: 'string', metavar: 'ADDRESS', help: 'address to send to (default examples)' },
  { long: 'count', short: 'c', type: 'count', metavar: 'COUNT', help: 'messages to send (default 1)' },
  { long: 'body', short: 'm', type: 'string', metavar: 'BODY', help: 'message body (default "Hello World!")' },
  { long: 'size', type: 'count', metavar: 'BYTES', help: 'send a binary body of BYTES bytes instead' },
  { long: 'presettled', type: 'flag', help: 'send settled (at most once): no outcomes to wait for' },
  { long: 'reply-to', type: 'string', metavar: 'ADDR', help: 'set reply-to on each message' },
  { long: 'request', type: 'flag', help: 'request/response: reply-to a dynamic address, wait for COUNT replies' },
  { long: 'timeout', type: 'seconds', metavar: 'S', help: 'give up after S seconds (default: wait)' },
  { long: 'print', type: 'flag', help: 'print each message sent and each reply' },
];

export interface SendOptions {
  url: BrokerUrl;
  address: string;
  count: number;
  body: string;
  size?: number;
  presettled: boolean;
  replyTo?: string;
  request: boolean;
  timeoutS?: number;
  print: boolean;
}

export function sendOptions(argv: readonly string[]): SendOptions | 'help' {
  const a = parseArgs(argv, SPECS);
  if (a.flag('help')) return 'help';
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  if (a.flag('request') && a.has('reply-to')) throw new UsageError('--request sets reply-to itself: drop --reply-to');
  return {
    url: parseBrokerUrl(a.string('broker', DEFAULT_URL)),
    address: a.string('address', 'examples'),
    count: a.number('count', 1),
    body: a.string('body', 'Hello World!'),
    size: a.number('size'),
    presettled: a.flag('presettled'),
    replyTo: a.string('reply-to'),
    request: a.flag('request'),
    timeoutS: a.number('timeout'),
    print: a.flag('print'),
  };
}

export const sendCommand: Command = {
  name: 'send',
  summary: 'send messages to an address and report their outcomes',
  specs: SPECS,
  run: async (argv) => {
    const o = sendOptions(argv);
    if (o === 'help') { out(usageOf(sendCommand)); return EXIT_OK; }
    return send(o);
  },
};

export function send(o: SendOptions): Promise<number> {
  const tally = new OutcomeTally();
  let sent = 0;
  let replies = 0;
  const report = (): boolean => {
    if (o.presettled) out(`sent ${sent} (presettled)`);
    else tally.print(sent);
    if (o.request) out(`received ${replies} replies`);
    return (o.presettled || tally.allAccepted(o.count)) && (!o.request || replies === o.count);
  };
  const client = new Client(o.url, {
    timeoutS: o.timeoutS,
    onTimeout: () => {
      report();
      process.stderr.write(`weft: timed out after ${o.timeoutS} s\n`);
      return EXIT_FAILED;
    },
  });
  let sender: Sender | undefined;
  const maybeDone = (): void => {
    if (client.isFinished) return;
    // Presettled messages are done once written: closing earlier would drop them.
    const settled = o.presettled ? sent === o.count && (!sender || unwritten(sender, sent) === 0) : tally.total === o.count;
    if (settled && (!o.request || replies === o.count)) client.finish(report() ? EXIT_OK : EXIT_FAILED);
  };
  const payload = o.size === undefined ? undefined : Buffer.alloc(o.size, 'weft');

  const startSending = (replyTo: string | undefined): void => {
    const options: SenderOptions & { treat_modified_as_released: boolean } = {
      target: { address: o.address },
      snd_settle_mode: o.presettled ? 1 : 0,
      treat_modified_as_released: false, // count modified on its own (missing from rhea's typings)
    };
    const s = client.connection.open_sender(options);
    sender = s;
    s.on('sendable', () => {
      while (sent < o.count && room(s, sent) > 0) {
        const m: Message = { message_id: sent + 1, body: payload ? rheaMessage.data_section(payload) : o.body };
        if (replyTo !== undefined) m.reply_to = replyTo;
        s.send(m);
        sent++;
        if (o.print) { out(bodyText(m.body)); out(detailsJson(m)); }
      }
      // rhea writes transfers on its next tick: look again once it has.
      setImmediate(maybeDone);
    });
    tally.watch(s, maybeDone);
  };

  if (o.count === 0) {
    client.connection.on('connection_open', maybeDone);
  } else if (o.request) {
    const receiver: Receiver = client.connection.open_receiver({ source: DYNAMIC_SOURCE, credit_window: Math.min(o.count, 1000) });
    receiver.on('receiver_open', () => {
      const address = receiver.source?.address;
      if (address) startSending(address);
      else client.fail('the peer assigned no address to the dynamic reply receiver');
    });
    receiver.on('message', (ctx) => {
      replies++;
      out(bodyText(ctx.message!.body));
      if (o.print) out(detailsJson(ctx.message!));
      maybeDone();
    });
  } else {
    startSending(o.replyTo);
  }
  return client.done;
}
