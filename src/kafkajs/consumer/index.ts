export { KafkaJSConsumer } from './consumer';
export type { KafkaJSConsumerConfig } from './engine';
