import { Writable } from 'node:stream';
import pino from 'pino';
import * as winston from 'winston';
import { dispatchEvents, logWriter } from '../../src/client/events';
import type { Logger } from '../../src';

function capture(): Logger & { lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    error: (m) => void lines.push(['error', m]),
    warn: (m) => void lines.push(['warn', m]),
    info: (m) => void lines.push(['info', m]),
    debug: (m) => void lines.push(['debug', m]),
  };
}

test('librdkafka log levels map to logger methods; self-healing coordinator warnings go to debug', () => {
  const logger = capture();
  const log = (level: number, message: string) => ({ type: 'log' as const, level, facility: 'F', message });
  dispatchEvents(
    [
      log(3, 'broken'),
      log(4, 'a real warning'),
      log(
        4,
        '[thrd:main]: Failed to acquire idempotence PID from broker 127.0.0.1:9092/1: Broker: Coordinator load in progress: retrying',
      ),
      log(6, 'informational'),
      log(7, 'debugging'),
    ],
    { log: logWriter(logger, 'test#consumer-1') },
  );
  expect(logger.lines).toEqual([
    ['error', 'broken'],
    ['warn', 'a real warning'],
    [
      'debug',
      '[thrd:main]: Failed to acquire idempotence PID from broker 127.0.0.1:9092/1: Broker: Coordinator load in progress: retrying',
    ],
    ['info', 'informational'],
    ['debug', 'debugging'],
  ]);
});

const sample = [
  { type: 'log' as const, level: 3, facility: 'FAIL', message: 'connection refused' },
  { type: 'log' as const, level: 6, facility: 'CGRPOP', message: 'joined' },
];

/** A stream that keeps what a logger writes, one JSON line each. */
function lines(): { stream: Writable; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) records.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, records };
}

test('logger: pino() as it is, fields first: message, facility, syslog level and client name as fields', async () => {
  const { stream, records } = lines();
  const logger = pino({ level: 'debug' }, stream);
  dispatchEvents(sample, { log: logWriter(logger, 'my-app#consumer-2') });
  await new Promise((r) => setImmediate(r));
  expect(records).toEqual([
    expect.objectContaining({
      level: 50,
      msg: 'connection refused',
      facility: 'FAIL',
      syslogLevel: 3,
      client: 'my-app#consumer-2',
    }),
    expect.objectContaining({
      level: 30,
      msg: 'joined',
      facility: 'CGRPOP',
      syslogLevel: 6,
      client: 'my-app#consumer-2',
    }),
  ]);
  // A child logger (what services pass around) is recognised too.
  const child = logger.child({ component: 'kafka' });
  dispatchEvents(sample.slice(0, 1), { log: logWriter(child, 'x#producer-1') });
  await new Promise((r) => setImmediate(r));
  expect(records[2]).toEqual(
    expect.objectContaining({ msg: 'connection refused', component: 'kafka', client: 'x#producer-1' }),
  );
});

test('logger: winston as it is, message first, fields as metadata', () => {
  const { stream, records } = lines();
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  dispatchEvents(sample, { log: logWriter(logger, 'my-app#producer-1') });
  expect(records).toEqual([
    { level: 'error', message: 'connection refused', facility: 'FAIL', syslogLevel: 3, client: 'my-app#producer-1' },
    { level: 'info', message: 'joined', facility: 'CGRPOP', syslogLevel: 6, client: 'my-app#producer-1' },
  ]);
});

test('logger: console-style objects get (message, fields)', () => {
  const got: unknown[][] = [];
  const logger = { error: (...a: unknown[]) => void got.push(a), info: (...a: unknown[]) => void got.push(a) };
  dispatchEvents(sample, { log: logWriter(logger, 'c#admin-1') });
  expect(got).toEqual([
    ['connection refused', { facility: 'FAIL', syslogLevel: 3, client: 'c#admin-1' }],
    ['joined', { facility: 'CGRPOP', syslogLevel: 6, client: 'c#admin-1' }],
  ]);
});
