// Builds encoded message sections for the message-sections and router-annotations tests.

import { encodeValue } from '../../../router/amqp/codec/encoder';
import { AmqpMap, AmqpValue, described, sym } from '../../../router/amqp/codec/values';

export const section = (code: number, value: AmqpValue): Buffer => encodeValue(described(code, value));
export const header = (): Buffer => section(0x70, [true]);
export const deliveryAnnotations = (): Buffer => section(0x71, new AmqpMap([[sym('x-opt-da'), 'da']]));
export const messageAnnotations = (entries: [AmqpValue, AmqpValue][]): Buffer => section(0x72, new AmqpMap(entries));
export const properties = (to?: string, replyTo?: string): Buffer => section(0x73, ['msg-1', null, to ?? null, 'subject', replyTo ?? null]);
export const applicationProperties = (): Buffer => section(0x74, new AmqpMap([['colour', 'blue']]));
export const data = (bytes: Buffer | string): Buffer => section(0x75, Buffer.from(bytes));

