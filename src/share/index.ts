export { KafkaShareConsumer } from './share-consumer';
export * from './options';
