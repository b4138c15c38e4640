export { KafkaAdmin } from './admin';
export type * from './types';
export type * from './enums';
