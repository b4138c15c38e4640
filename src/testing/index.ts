/**
 * `kafka-napi/testing`: test application code against Kafka faults without a broker (docs/testing.md).
 */
export { ApiKeys, MockCluster, type ApiKeyName, type MockError, type MockRequest } from './mock-cluster';
