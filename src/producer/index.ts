export { KafkaProducer } from './producer';
export * from './options';
