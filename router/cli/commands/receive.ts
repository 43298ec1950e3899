// `weft receive`: prints the messages that arrive on an address (or a dynamic one), settles
// each with the chosen outcome, and with --reply answers requests (a demo responder).

import { Delivery, EventContext, Message, Receiver } from 'rhea';
import { OptionSpec, UsageError, parseArgs } from '../args';
import { BrokerUrl, DEFAULT_URL, parseBrokerUrl } from './broker-url';
import { Client, DYNAMIC_SOURCE, EXIT_FAILED, EXIT_OK } from './client';
import { Command, out, usageOf } from './command';
import { bodyText, detailsJson } from './message-text';
import { Replier } from './replier';

const OUTCOMES = ['accept', 'reject', 'release', 'modify'] as const;
export type ReceiveOutcome = typeof OUTCOMES[number];

const SPECS: readonly OptionSpec[] = [
  { long: 'broker', short: 'b', type: 'string', metavar: 'URL', help: `router to connect to (default ${DEFAULT_URL})` },
  { long: 'address', short: 'a', type: 'string', metavar: 'ADDRESS', help: 'address to receive from (default examples)' },
  { long: 'count', short: 'c', type: 'count', metavar: 'COUNT', help: 'stop after COUNT messages (default 0: never)' },
  { long: 'credit', type: 'count', metavar: 'N', help: 'link credit to keep open (default 100)' },
  { long: 'dynamic', type: 'flag', help: 'receive on an address the router assigns, and print it' },
  { long: 'reply', type: 'flag', help: 'answer each message that has reply-to with its body upper-cased' },
  { long: 'outcome', type: 'string', choices: OUTCOMES, metavar: 'OUTCOME', help: `settle with ${OUTCOMES.join('|')} (default accept)` },
  { long: 'timeout', type: 'seconds', metavar: 'S', help: 'stop after S seconds' },
  { long: 'print', type: 'flag', help: 'also print properties and annotations as JSON' },
];

export interface ReceiveOptions {
  url: BrokerUrl;
  /** undefined with `dynamic`. */
  address?: string;
  count: number;
  credit: number;
  dynamic: boolean;
  reply: boolean;
  outcome: ReceiveOutcome;
  timeoutS?: number;
  print: boolean;
}

export function receiveOptions(argv: readonly string[]): ReceiveOptions | 'help' {
  const a = parseArgs(argv, SPECS);
  if (a.flag('help')) return 'help';
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  if (a.flag('dynamic') && a.has('address')) throw new UsageError('--dynamic and --address exclude each other');
  const credit = a.number('credit', 100);
  if (credit === 0) throw new UsageError('--credit must be at least 1');
  return {
    url: parseBrokerUrl(a.string('broker', DEFAULT_URL)),
    address: a.flag('dynamic') ? undefined : a.string('address', 'examples'),
    count: a.number('count', 0),
    credit,
    dynamic: a.flag('dynamic'),
    reply: a.flag('reply'),
    outcome: a.string('outcome', 'accept') as ReceiveOutcome,
    timeoutS: a.number('timeout'),
    print: a.flag('print'),
  };
}

export const receiveCommand: Command = {
  name: 'receive',
  summary: 'receive and print messages from an address',
  specs: SPECS,
  run: async (argv) => {
    const o = receiveOptions(argv);
    if (o === 'help') { out(usageOf(receiveCommand)); return EXIT_OK; }
    return receive(o);
  },
};

export function receive(o: ReceiveOptions): Promise<number> {
  let received = 0;
  // Receiving "forever" ends normally on a timeout or Ctrl-C; a COUNT not reached is a failure.
  const ending = (): number => {
    out(`received ${received}`);
    return o.count === 0 ? EXIT_OK : EXIT_FAILED;
  };
  const client = new Client(o.url, { timeoutS: o.timeoutS, onTimeout: ending });
  const onSignal = (): void => { if (!client.isFinished) client.finish(ending()); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const replier = o.reply ? new Replier(client.connection) : undefined;

  const receiver: Receiver = client.connection.open_receiver({
    source: o.dynamic ? DYNAMIC_SOURCE : { address: o.address! },
    credit_window: 0, // we give credit ourselves, so that no more than COUNT messages arrive
    autoaccept: false,
  });
  let issued = 0;
  const topUp = (): void => {
    const outstanding = issued - received;
    const want = o.count > 0 ? Math.min(o.credit, o.count - received) : o.credit;
    // Refill in batches, not one flow per message.
    if (want > outstanding && outstanding <= Math.floor(o.credit / 2)) {
      receiver.add_credit(want - outstanding);
      issued += want - outstanding;
    }
  };
  const maybeDone = (): void => {
    if (!client.isFinished && o.count > 0 && received >= o.count && (!replier || replier.idle)) {
      out(`received ${received}`);
      client.finish(EXIT_OK);
    }
  };
  replier?.onIdle(maybeDone);

  receiver.on('receiver_open', () => {
    if (!o.dynamic) return;
    const address = receiver.source?.address;
    if (address) out(`dynamic address: ${address}`);
    else client.fail('the peer assigned no address to the dynamic receiver');
  });
  receiver.on('message', (ctx: EventContext) => {
    if (client.isFinished) return; // left unsettled: the peer releases it when we close
    const m = ctx.message as Message;
    received++;
    out(bodyText(m.body));
    if (o.print) out(detailsJson(m));
    if (replier && m.reply_to !== undefined) replier.answer(m);
    settle(ctx.delivery!, o.outcome);
    topUp();
    maybeDone();
  });
  topUp();
  return client.done.finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}

function settle(d: Delivery, outcome: ReceiveOutcome): void {
  switch (outcome) {
    case 'accept': return d.accept();
    case 'reject': return d.reject({ condition: 'weft:rejected', description: 'rejected by weft receive --outcome reject' });
    case 'release': return d.release();
    case 'modify': return d.modified({ delivery_failed: true, undeliverable_here: true });
  }
}
