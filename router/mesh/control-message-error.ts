// A control message a peer got wrong. It is returned, never thrown: the caller logs it and
// drops the message, as qdrouterd does (one bad message never ends the connection).

import { WeftError } from '../common/errors';

export type ControlProblem =
  /** The payload is not well-formed AMQP or a section has the wrong shape. */
  | 'malformed'
  /** application-properties.opcode names no control message. */
  | 'unknown-opcode'
  | 'missing-key'
  | 'wrong-type'
  /** pv above PROTOCOL_VERSION: qdrouterd ignores these (and logs once per sender). */
  | 'unsupported-version';

export class ControlMessageError extends WeftError {
  constructor(
    readonly problem: ControlProblem,
    message: string,
    readonly details: {
      opcode?: string;
      /** Where in the body, e.g. `ls.peers`. */
      key?: string;
      /** The body's id, when it could be read (to log once per sender). */
      routerId?: string;
    } = {},
    cause?: unknown,
  ) {
    super('WEFT_CONTROL_MESSAGE', message, { cause });
  }
}
