import { ProtocolError } from '../../common/errors';

/** Malformed AMQP encoding: ends the connection with `amqp:decode-error`. */
export class DecodeError extends ProtocolError {
  constructor(message: string) { super('amqp:decode-error', message); }
}
