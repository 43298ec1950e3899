// A real RabbitMQ 3.10 node for tests: the link-route lab starts its broker the same way, so the
// code lives in scripts/lab/rabbitmq-node.ts (scripts must not import from test/).

export { RabbitMq } from '../../scripts/lab/rabbitmq-node';
export type { RabbitMqOptions } from '../../scripts/lab/rabbitmq-node';
