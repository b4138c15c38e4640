import { dispatchEvents } from '../../src/client-events';
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
    { logger },
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
