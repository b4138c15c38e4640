export { KafkaConsumer } from './consumer';
export { nativeConsumerOf } from './native-handle';
export * from './options';
export type { ConsumerStreamOptions } from './stream';
