// The head of a message as a broker is sent it: no delivery-annotations (RabbitMQ's AMQP 1.0
// plugin drops the connection on them) and no router annotations, user message-annotations kept.

import type { AmqpValue } from './codec/values';
import type { MessageHead } from './message-sections';
import { encodeAnnotationsSection } from './router-annotations';

/** The bytes sent in place of the payload's first `skip` bytes. */
export function brokerHead(payload: Buffer, head: MessageHead, user: [AmqpValue, AmqpValue][]): { prefix: Buffer; skip: number } {
  const [cut, resume] = head.annotationsStart >= 0 ? [head.annotationsStart, head.annotationsEnd] : [head.insertAt, head.insertAt];
  const [daStart, daEnd] = head.deliveryAnnotations ?? [cut, cut];
  const section = encodeAnnotationsSection(user, undefined);
  const parts = [payload.subarray(0, daStart), payload.subarray(daEnd, cut)];
  if (section) parts.push(section);
  return { prefix: Buffer.concat(parts), skip: resume };
}
