/**
 * Code nobody here wrote, on kafka-napi/kafkajs: a NestJS microservice on @nestjs/microservices' Kafka
 * transport and its ClientKafka (fixtures/nestjs-kafka-app.js), which load `kafkajs` by name, in a child
 * process whose `require('kafkajs')` a --require hook (fixtures/kafkajs-redirect.js) points at
 * kafka-napi's compiled kafkajs entry. A request/reply (ClientKafka.send with subscribeToResponseOf) and
 * an event (emit -> @EventPattern) go through the real broker; NestJS's options are its defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bootstrapServers, createTopic, runNode, uniqueTopic } from '../helpers';

// The compiled entry the package exports as `kafka-napi/kafkajs` (what an application would alias).
const ENTRY = path.resolve(__dirname, '../../dist/cjs/kafkajs/index.js');
const FIXTURES = path.join(__dirname, 'fixtures');

interface AppResult {
  error?: { name: string; message: string; stack: string };
  replyAssignments?: Record<string, number>;
  reply?: unknown;
  events?: unknown[];
  resolved: string;
  redirectedLoaded: boolean;
  clientIsRedirected: boolean | string;
  realKafkajsFiles: string[];
  closeError?: string;
}

test('a NestJS Kafka microservice and ClientKafka round-trip a request and an event on kafka-napi/kafkajs', async () => {
  if (!fs.existsSync(ENTRY)) {
    throw new Error(`${ENTRY} does not exist: build kafka-napi/kafkajs first (npm run build:ts)`);
  }
  const sumTopic = uniqueTopic('math.sum');
  const eventTopic = uniqueTopic('user.created');
  // Created first, as a NestJS app on kafkajs needs them: kafkajs's subscribe to a topic the broker is
  // still auto-creating fails (UNKNOWN_TOPIC_OR_PARTITION), and so does the app's listen(). The reply
  // topic is NestJS's `<pattern>.reply`.
  await Promise.all([createTopic(sumTopic), createTopic(`${sumTopic}.reply`), createTopic(eventTopic)]);

  const run = await runNode(
    [
      '--require',
      path.join(FIXTURES, 'kafkajs-redirect.js'),
      path.join(FIXTURES, 'nestjs-kafka-app.js'),
      bootstrapServers(),
      sumTopic,
      eventTopic,
      uniqueTopic('nest'),
      uniqueTopic('nest-group'),
    ],
    { env: { ...process.env, KAFKAJS_REDIRECT_TO: ENTRY }, timeoutMs: 100_000 },
  );
  const line = /^RESULT (.*)$/m.exec(run.stdout)?.[1];
  if (run.code !== 0 || line === undefined) {
    throw new Error(`the NestJS app failed (code ${run.code}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  const result = JSON.parse(line) as AppResult;
  if (result.error) throw new Error(`NestJS on kafka-napi/kafkajs failed: ${result.error.stack}\n${run.stdout}`);

  // NestJS loaded kafka-napi/kafkajs, and nothing of the real kafkajs (installed as a devDependency).
  expect(result.resolved).toBe(ENTRY);
  expect(result.redirectedLoaded).toBe(true);
  expect(result.clientIsRedirected).toBe(true);
  expect(result.realKafkajsFiles).toEqual([]);
  // ClientKafka learnt its reply partition from the consumer's GROUP_JOIN event.
  expect(result.replyAssignments).toEqual({ [`${sumTopic}.reply`]: 0 });
  expect(result.reply).toEqual({ sum: 42 });
  expect(result.events).toEqual([{ id: 7, name: 'Ada' }]);
  expect(result.closeError).toBeUndefined();
}, 120_000);
