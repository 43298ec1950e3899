// What an operation answers: a status (reference §7.3) and the body.

import type { AmqpValue } from '../../amqp/codec/values';

export interface OperationResult {
  status: number;
  body: AmqpValue;
  /** Defaults to the status's text (OK, Created, ...). */
  description?: string;
}

export const ok = (body: AmqpValue): OperationResult => ({ status: 200, body });
