/**
 * kafkajs's entry point: `new Kafka(config)` and its producer(), consumer() and admin() factories, each
 * client over kafka-napi's engine (src/kafkajs/connection.ts maps the configuration).
 */
import { KafkaJSAdmin } from './admin/client';
import { ClientContext } from './connection';
import { KafkaJSConsumer, type KafkaJSConsumerConfig } from './consumer';
import type { Logger } from './logger';
import { KafkaJSProducer } from './producer';
import type { Admin, AdminConfig, Consumer, KafkaConfig, Producer, ProducerConfig } from './types';

export class Kafka {
  readonly #context: ClientContext;

  constructor(config: KafkaConfig) {
    this.#context = new ClientContext(config);
  }

  // Typed as kafkajs's Producer, Consumer and Admin: their `on()` overloads type each event's payload.
  producer(config?: ProducerConfig): Producer {
    return new KafkaJSProducer(this.#context, config);
  }

  consumer(config: KafkaJSConsumerConfig): Consumer {
    return new KafkaJSConsumer(this.#context, config);
  }

  admin(config?: AdminConfig): Admin {
    return new KafkaJSAdmin(this.#context, config);
  }

  logger(): Logger {
    return this.#context.logger;
  }
}
