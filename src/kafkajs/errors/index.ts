/**
 * kafkajs 2.2.4's errors: the classes (classes.ts), kafkajs's table of Kafka protocol errors
 * (protocol.ts), and `toKafkaJSError` (convert.ts), which turns kafka-napi's KafkaError into the class a
 * kafkajs user would catch.
 */
export * from './classes';
export * from './protocol';
export * from './convert';
