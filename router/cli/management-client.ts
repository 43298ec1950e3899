// The transport of `weft stat` and `weft manage`, shaped like proton.utils.SyncRequestResponse
// (what qdstat/qdmanage use, reference §7.1): one connection, one dynamic receiver whose
// address is every request's reply-to, one sender per management address, correlation-id a
// string counter. Each call waits at most `timeoutS` for credit and its reply; every failure
// becomes one ManagementClientError whose message names the address.

import { randomUUID } from 'node:crypto';
import { Connection, ConnectionOptions, EventContext, Receiver, Sender, create_container } from 'rhea';
import { BrokerUrl } from './commands/broker-url';
import { DYNAMIC_SOURCE, errorText } from './commands/client';
import { ManagementClientError } from './management-errors';

export interface ManagementClientOptions {
  url: BrokerUrl;
  timeoutS: number;
  /** SASL PLAIN when both are given, ANONYMOUS with a username alone, no SASL otherwise (like qdstat). */
  saslUsername?: string;
  saslPassword?: string;
}

export interface ManagementRequest {
  /** Application properties, sent in this order. */
  properties: Record<string, unknown>;
  body: unknown;
}

export interface ManagementReply {
  status: number;
  description: string;
  body: unknown;
}

interface Pending {
  address: string;
  resolve(reply: ManagementReply): void;
  fail(error: ManagementClientError): void;
}

/** How long close() waits for the router's close before letting go. */
const CLOSE_GRACE_MS = 1000;

export class ManagementClient {
  private readonly senders = new Map<string, Sender>();
  /** Addresses whose sender the router refused or detached, with why. */
  private readonly refused = new Map<string, ManagementClientError>();
  private readonly pending = new Map<string, Pending>();
  private nextCorrelationId = 1;
  private failure: ManagementClientError | undefined;
  private closing = false;

  private constructor(
    private readonly connection: Connection,
    private readonly receiver: Receiver,
    /** The dynamic address the router gave the reply receiver. */
    readonly replyTo: string,
    private readonly options: ManagementClientOptions,
    private readonly containerId: string,
  ) {
    this.watch();
  }

  /** Connects and attaches the reply receiver; rejects with WEFT_MGMT_UNREACHABLE naming the address. */
  static connect(options: ManagementClientOptions): Promise<ManagementClient> {
    const { url, timeoutS } = options;
    const containerId = randomUUID();
    const username = options.saslUsername ?? url.username;
    const password = options.saslPassword ?? url.password;
    const connectOptions = {
      host: url.host,
      port: url.port,
      reconnect: false,
      transport: url.tls ? 'tls' : 'tcp',
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    } as ConnectionOptions;
    const connection = create_container({ id: containerId }).connect(connectOptions);
    const receiver = connection.open_receiver({ source: DYNAMIC_SOURCE, credit_window: 0 });
    const where = `${url.host}:${url.port}`;
    return new Promise((resolve, reject) => {
      let opened = false;
      const fail = (message: string, code: 'WEFT_MGMT_UNREACHABLE' | 'WEFT_MGMT_LINK_REFUSED' | 'WEFT_MGMT_TIMEOUT' = 'WEFT_MGMT_UNREACHABLE'): void => {
        cleanup();
        connection.close();
        reject(new ManagementClientError(code, message));
      };
      const timer = setTimeout(() => {
        if (!opened) fail(`cannot connect to ${where}: no answer within ${timeoutS} s`);
        else fail(`the router at ${where} did not attach the reply receiver within ${timeoutS} s`, 'WEFT_MGMT_TIMEOUT');
      }, timeoutS * 1000);
      const onOpen = (): void => { opened = true; };
      const onGone = (ctx: EventContext): void => {
        const why = errorText(ctx.error ?? ctx.connection?.error);
        fail(opened ? `connection to ${where} closed: ${why}` : `cannot connect to ${where}: ${why}`);
      };
      const onProtocolError = (e: unknown): void => fail(`cannot talk to ${where}: not an AMQP peer (${errorText(e)})`);
      const onReceiverRefused = (ctx: EventContext): void => {
        fail(`the router at ${where} refused the reply receiver: ${errorText(ctx.receiver?.error)}`, 'WEFT_MGMT_LINK_REFUSED');
      };
      const onReceiverOpen = (): void => {
        const address = receiver.source?.address;
        if (!address) return fail(`the router at ${where} gave the dynamic reply receiver no address`, 'WEFT_MGMT_LINK_REFUSED');
        cleanup();
        resolve(new ManagementClient(connection, receiver, address, options, containerId));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        connection.removeListener('connection_open', onOpen);
        connection.removeListener('disconnected', onGone);
        connection.removeListener('connection_error', onGone);
        connection.removeListener('connection_close', onGone);
        connection.removeListener('protocol_error', onProtocolError);
        receiver.removeListener('receiver_open', onReceiverOpen);
        receiver.removeListener('receiver_error', onReceiverRefused);
        receiver.removeListener('receiver_close', onReceiverRefused);
      };
      connection.on('connection_open', onOpen);
      connection.on('disconnected', onGone);
      connection.on('connection_error', onGone);
      connection.on('connection_close', onGone);
      connection.on('protocol_error', onProtocolError);
      // Without a listener rhea would throw; the handlers above say what happened.
      connection.on('error', () => undefined);
      receiver.on('receiver_open', onReceiverOpen);
      receiver.on('receiver_error', onReceiverRefused);
      receiver.on('receiver_close', onReceiverRefused);
    });
  }

  /** `host:port`, for messages. */
  get where(): string { return `${this.options.url.host}:${this.options.url.port}`; }

  /** Sends one request to `address` and resolves with its reply, whatever its status. */
  call(address: string, request: ManagementRequest): Promise<ManagementReply> {
    const early = this.failure ?? this.refused.get(address);
    if (early) return Promise.reject(early);
    const correlationId = String(this.nextCorrelationId++);
    const sender = this.senderFor(address);
    const timeoutS = this.options.timeoutS;
    return new Promise((resolve, reject) => {
      let sent = false;
      const finish = (): void => {
        clearTimeout(timer);
        sender.removeListener('sendable', trySend);
        this.pending.delete(correlationId);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new ManagementClientError('WEFT_MGMT_TIMEOUT', sent
          ? `no reply from '${address}' at ${this.where} within ${timeoutS} s`
          : `no credit to send to '${address}' at ${this.where} within ${timeoutS} s: is there a route to it?`));
      }, timeoutS * 1000);
      this.pending.set(correlationId, {
        address,
        resolve: (reply) => { finish(); resolve(reply); },
        fail: (error) => { finish(); reject(error); },
      });
      const trySend = (): void => {
        if (sent || !sender.sendable()) return;
        sent = true;
        this.receiver.add_credit(1); // one reply per request, as SyncRequestResponse grants
        sender.send({
          reply_to: this.replyTo,
          correlation_id: correlationId,
          application_properties: request.properties,
          body: request.body,
        });
      };
      sender.on('sendable', trySend);
      trySend();
    });
  }

  /** Closes the connection, waiting briefly for the router's close. */
  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      if (!this.connection.is_open()) return resolve();
      const timer = setTimeout(resolve, CLOSE_GRACE_MS);
      const done = (): void => { clearTimeout(timer); resolve(); };
      this.connection.once('connection_close', done);
      this.connection.once('disconnected', done);
      this.connection.close();
    });
  }

  private senderFor(address: string): Sender {
    let sender = this.senders.get(address);
    if (sender) return sender;
    sender = this.connection.open_sender({ name: `${this.containerId}-${address}`, target: { address } });
    const refused = (ctx: EventContext): void => {
      const why = errorText(ctx.sender?.error);
      this.failAddress(address, new ManagementClientError('WEFT_MGMT_LINK_REFUSED',
        `the router at ${this.where} refused the link to '${address}': ${why}`));
    };
    sender.on('sender_error', refused);
    sender.on('sender_close', refused);
    this.senders.set(address, sender);
    return sender;
  }

  private failAddress(address: string, error: ManagementClientError): void {
    this.refused.set(address, error);
    for (const p of [...this.pending.values()]) if (p.address === address) p.fail(error);
  }

  private failAll(error: ManagementClientError): void {
    if (this.closing || this.failure) return;
    this.failure = error;
    for (const p of [...this.pending.values()]) p.fail(error);
  }

  private watch(): void {
    const c = this.connection;
    const lost = (ctx: EventContext): void => {
      this.failAll(new ManagementClientError('WEFT_MGMT_UNREACHABLE',
        `connection to ${this.where} lost: ${errorText(ctx.error ?? c.error)}`));
    };
    c.on('disconnected', lost);
    c.on('connection_error', lost);
    c.on('connection_close', lost);
    c.on('protocol_error', (e: unknown) => {
      this.failAll(new ManagementClientError('WEFT_MGMT_UNREACHABLE', `protocol error from ${this.where}: ${errorText(e)}`));
    });
    const receiverGone = (ctx: EventContext): void => {
      this.failAll(new ManagementClientError('WEFT_MGMT_LINK_REFUSED',
        `the router at ${this.where} detached the reply receiver: ${errorText(ctx.receiver?.error)}`));
    };
    this.receiver.on('receiver_error', receiverGone);
    this.receiver.on('receiver_close', receiverGone);
    this.receiver.on('message', (ctx) => {
      const m = ctx.message;
      if (!m) return;
      // Replies to requests that timed out are ignored, as proton's client does.
      const pending = this.pending.get(String(m.correlation_id));
      if (!pending) return;
      const props = (m.application_properties ?? {}) as Record<string, unknown>;
      pending.resolve({
        status: typeof props.statusCode === 'number' ? props.statusCode : Number.NaN,
        description: typeof props.statusDescription === 'string' ? props.statusDescription : '',
        body: m.body,
      });
    });
  }
}
