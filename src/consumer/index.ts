export { KafkaConsumer, nativeConsumerOf } from './consumer';
export * from './options';
export type { ConsumerStreamOptions } from './stream';
