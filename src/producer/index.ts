export { KafkaProducer } from './producer';
export * from './options';
export type { ProducerStreamOptions } from './stream';
