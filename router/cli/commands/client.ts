// One AMQP connection for a CLI command, and how the command ends: `finish(code)` closes the
// connection and settles `done`; every connection or link failure ends the command with one
// clear line on stderr. Commands only add their links and their happy path.

// Named imports only: rhea exports a Container instance, whose methods live on its prototype.
import { Connection, Receiver, Sender, Source, create_container } from 'rhea';
import { BrokerUrl } from './broker-url';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/** Could not connect, or bad arguments. */
export const EXIT_UNREACHABLE = 2;

/** A source with no address: the router assigns one (rhea's typings insist on an address). */
export const DYNAMIC_SOURCE = { dynamic: true } as unknown as Source;

/** How long to wait for the peer's close before exiting anyway. */
const CLOSE_GRACE_MS = 2000;

export interface ClientOptions {
  /** Ends the command after this long; `onTimeout` prints what happened and picks the exit code. */
  timeoutS?: number;
  onTimeout?: () => number;
}

export class Client {
  readonly connection: Connection;
  readonly done: Promise<number>;
  private opened = false;
  private finished = false;
  private resolve!: (code: number) => void;
  private code = EXIT_OK;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly url: BrokerUrl, options: ClientOptions = {}) {
    this.done = new Promise((r) => { this.resolve = r; });
    const container = create_container({ id: `weft-${process.pid}` });
    const common = { host: url.host, port: url.port, username: url.username, password: url.password, reconnect: false };
    this.connection = container.connect(url.tls ? { ...common, transport: 'tls' } : { ...common, transport: 'tcp' });
    this.watch();
    if (options.timeoutS !== undefined && options.timeoutS > 0) {
      const onTimeout = options.onTimeout ?? (() => EXIT_FAILED);
      const timeoutS = options.timeoutS;
      this.timer = setTimeout(() => {
        if (!this.opened) this.fail(`cannot connect to ${url.display}: no answer in ${timeoutS} s`, EXIT_UNREACHABLE);
        else this.finish(onTimeout());
      }, timeoutS * 1000);
    }
  }

  get isFinished(): boolean { return this.finished; }

  /** Ends the command: closes the connection, then `done` resolves with `code`. */
  finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.code = code;
    clearTimeout(this.timer);
    if (!this.opened) return this.resolve(code);
    this.connection.close();
    // Waiting for the peer's close makes sure what we sent (presettled messages, dispositions) got there.
    setTimeout(() => this.resolve(code), CLOSE_GRACE_MS).unref();
  }

  fail(message: string, code = EXIT_FAILED): void {
    if (this.finished) return;
    process.stderr.write(`weft: ${message}\n`);
    this.finish(code);
  }

  private watch(): void {
    const c = this.connection;
    c.on('connection_open', () => { this.opened = true; });
    c.on('connection_error', (ctx) => {
      const why = errorText(ctx.error ?? c.error);
      if (!this.opened) this.fail(`cannot connect to ${this.url.display}: ${why}`, EXIT_UNREACHABLE);
      else this.fail(`connection to ${this.url.display} closed: ${why}`);
    });
    c.on('connection_close', () => {
      if (this.finished) return this.resolve(this.code);
      this.fail(`connection to ${this.url.display} closed by the peer`);
    });
    c.on('disconnected', (ctx) => {
      if (this.finished) return this.resolve(this.code);
      const why = errorText(ctx.error);
      if (!this.opened) this.fail(`cannot connect to ${this.url.display}: ${why}`, EXIT_UNREACHABLE);
      else this.fail(`connection to ${this.url.display} lost: ${why}`, EXIT_UNREACHABLE);
    });
    for (const role of ['sender', 'receiver'] as const) {
      c.on(`${role}_error`, (ctx) => {
        const link = role === 'sender' ? ctx.sender : ctx.receiver;
        this.fail(`${role} link${terminusText(link, role)} detached: ${errorText(link?.error)}`);
      });
      c.on(`${role}_close`, (ctx) => {
        const link = role === 'sender' ? ctx.sender : ctx.receiver;
        this.fail(`${role} link${terminusText(link, role)} detached by the peer`);
      });
    }
    // Handled here, or rhea prints the bytes it could not read.
    c.on('protocol_error', (e: unknown) => {
      if (!this.opened) this.fail(`cannot connect to ${this.url.display}: not an AMQP peer (${errorText(e)})`, EXIT_UNREACHABLE);
      else this.fail(`protocol error from ${this.url.display}: ${errorText(e)}`);
    });
    c.on('error', (e: unknown) => this.fail(errorText(e)));
  }
}

function terminusText(link: Sender | Receiver | undefined, role: 'sender' | 'receiver'): string {
  const address = role === 'sender' ? link?.target?.address : link?.source?.address;
  return address ? ` for '${address}'` : '';
}

/** `ECONNREFUSED`, `amqp:not-found: no route`, or the message. */
export function errorText(e: unknown): string {
  if (e === undefined || e === null) return 'no reason given';
  if (typeof e !== 'object') return String(e);
  const err = e as { code?: unknown; condition?: unknown; description?: unknown; message?: unknown };
  if (typeof err.code === 'string') return err.code;
  if (typeof err.condition === 'string') {
    return typeof err.description === 'string' && err.description !== '' ? `${err.condition}: ${err.description}` : err.condition;
  }
  return typeof err.message === 'string' ? err.message : String(e);
}
