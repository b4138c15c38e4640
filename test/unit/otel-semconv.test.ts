/**
 * The names src/observe/otel/semconv.ts copies (see there why) are the ones `@opentelemetry/semantic-conventions`
 * exports under the same constant names; the lag metric is this library's own and is checked not to be
 * taken by the conventions for something else.
 */
import * as ours from '../../src/observe/otel/semconv';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const semconv = require('@opentelemetry/semantic-conventions/incubating') as Record<string, unknown>;

const OWN = new Set(['METRIC_KAFKA_CONSUMER_LAG']);

test.each(Object.entries(ours).filter(([name]) => !OWN.has(name)))('%s is the package value', (name, value) => {
  expect(semconv[name]).toBe(value);
});

test('kafka.consumer.lag is not a convention name', () => {
  expect(Object.values(semconv)).not.toContain(ours.METRIC_KAFKA_CONSUMER_LAG);
});
