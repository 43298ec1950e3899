// A management reply (reference §7.3): header durable=false; properties to = the request's
// reply-to and correlation-id; application-properties statusCode (int) and statusDescription;
// amqp-value body. Sent pre-settled, as qdrouterd does.

import { AmqpMap, type AmqpValue, described, int } from '../amqp/codec/values';
import { Encoder } from '../amqp/codec/encoder';
import { encodeAnnotationsSection } from '../amqp/router-annotations';
import { Section } from '../amqp/message-sections';
import type { OriginatedMessage } from '../node/originator';

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 501: 'Not Implemented',
};

export interface ReplyParts {
  to: string;
  correlationId: AmqpValue;
  status: number;
  description: string;
  body: AmqpValue;
}

/** The reply, plain and (lazily) with this router's ingress/trace annotations for the mesh. */
export function encodeReply(parts: ReplyParts, routerId: string): OriginatedMessage {
  const header = encodeSection(described(Section.header, [false]));
  const rest = Buffer.concat([
    encodeSection(described(Section.properties, [null, null, parts.to, null, null, parts.correlationId])),
    encodeSection(described(Section.applicationProperties, new AmqpMap([['statusCode', int(parts.status)], ['statusDescription', parts.description]]))),
    encodeSection(described(Section.amqpValue, parts.body)),
  ]);
  let annotated: Buffer | undefined;
  return {
    plain: Buffer.concat([header, rest]),
    annotated: () => (annotated ??= Buffer.concat([header, encodeAnnotationsSection([], { ingress: `0/${routerId}`, trace: [`0/${routerId}`] })!, rest])),
  };
}

function encodeSection(v: AmqpValue): Buffer {
  const e = new Encoder(256);
  e.value(v);
  return e.take();
}
