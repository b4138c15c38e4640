export { KafkaConsumer, nativeConsumerOf } from './consumer';
export * from './options';
