// The demo responder of `weft receive --reply`: one anonymous sender (the router's
// ANONYMOUS-RELAY) carries each answer to the request's reply-to, body upper-cased.

import { Connection, Delivery, Message, Sender } from 'rhea';
import { upperCased } from './message-text';
import { room } from './sender-room';

export class Replier {
  private readonly sender: Sender;
  private readonly queue: Message[] = [];
  private sent = 0;
  private idleListener: () => void = () => {};
  /** Where each reply went, to name it if it is not accepted. */
  private readonly sentTo = new WeakMap<Delivery, string>();

  constructor(connection: Connection) {
    this.sender = connection.open_sender({ target: {} }); // no address: each message names its own `to`
    this.sender.on('sendable', () => this.flush());
    for (const outcome of ['rejected', 'released', 'modified']) {
      this.sender.on(outcome, (ctx) => {
        process.stderr.write(`weft: the reply to '${this.sentTo.get(ctx.delivery!) ?? '?'}' was ${outcome}\n`);
      });
    }
  }

  /** No answer waits for credit. */
  get idle(): boolean { return this.queue.length === 0; }

  onIdle(listener: () => void): void { this.idleListener = listener; }

  answer(request: Message): void {
    const reply: Message = { to: request.reply_to, body: upperCased(request.body) };
    const correlation = request.message_id ?? request.correlation_id;
    if (correlation !== undefined) reply.correlation_id = correlation;
    this.queue.push(reply);
    this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && room(this.sender, this.sent) > 0) {
      const reply = this.queue.shift()!;
      this.sentTo.set(this.sender.send(reply), String(reply.to));
      this.sent++;
    }
    if (this.queue.length === 0) this.idleListener();
  }
}
