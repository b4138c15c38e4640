// kafka-napi/kafkajs's errors against kafkajs 2.2.4's own (a devDependency): the same classes, names,
// properties and hierarchy, and KafkaError converted into what kafkajs would have thrown.
import { KafkaError, errorFromErrno, type ErrorCode } from '../../src/core/errors';
import * as ours from '../../src/kafkajs/errors';
import { toKafkaJSError } from '../../src/kafkajs/errors';

// kafkajs's internals are plain CommonJS without declarations: typed here as far as the test reads them.
type Ctor = new (...args: unknown[]) => Error;
type ProtocolErrorLike = Error & { type: string; code: number; retriable: boolean; helpUrl?: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const theirs = require('kafkajs/src/errors') as Record<string, Ctor>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protocol = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{ type: string; code: number; retriable: boolean; message: string; helpUrl?: string }>;
  createErrorFromCode(code: number): ProtocolErrorLike;
};

const ourClasses = ours as unknown as Record<string, Ctor>;
const classNames = Object.keys(theirs).filter((name) => name.startsWith('KafkaJS'));

/** The names up a class's prototype chain, to Error. */
function lineage(ctor: Ctor): string[] {
  const names: string[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    names.push((c as Ctor).name);
  }
  return names;
}

const entry = protocol.errorCodes.find((e) => e.code === 3)!;
const inner = new Error('inner');

// Arguments each class takes in kafkajs (its constructors destructure some, so they need objects).
const ARGS: Record<string, unknown[]> = {
  KafkaJSError: ['boom', { retriable: false, cause: inner }],
  KafkaJSNonRetriableError: ['boom', { cause: inner }],
  KafkaJSProtocolError: [entry],
  KafkaJSOffsetOutOfRange: [protocol.errorCodes.find((e) => e.code === 1), { topic: 't', partition: 2 }],
  KafkaJSMemberIdRequired: [protocol.errorCodes.find((e) => e.code === 79), { memberId: 'm-1' }],
  KafkaJSNumberOfRetriesExceeded: [inner, { retryCount: 5, retryTime: 1000 }],
  KafkaJSConnectionError: ['Connection error', { broker: 'h:9092', code: 'ECONNREFUSED' }],
  KafkaJSConnectionClosedError: ['closed', { host: 'h', port: 9092 }],
  KafkaJSRequestTimeoutError: [
    'Request Produce timed out',
    { broker: 'h:9092', correlationId: 7, createdAt: 1, sentAt: 2, pendingDuration: 3 },
  ],
  KafkaJSMetadataNotLoaded: ['not loaded'],
  KafkaJSTopicMetadataNotLoaded: ['not loaded', { topic: 't' }],
  KafkaJSStaleTopicMetadataAssignment: ['stale', { topic: 't', unknownPartitions: [3] }],
  KafkaJSDeleteGroupsError: ['delete failed', [{ groupId: 'g', errorCode: 69 }]],
  KafkaJSServerDoesNotSupportApiKey: ['unsupported', { apiKey: 18, apiName: 'ApiVersions' }],
  KafkaJSBrokerNotFound: ['no broker'],
  KafkaJSPartialMessageError: ['partial'],
  KafkaJSSASLAuthenticationError: ['SASL PLAIN: Invalid username or password'],
  KafkaJSGroupCoordinatorNotFound: ['Failed to find group coordinator'],
  KafkaJSNotImplemented: ['not implemented'],
  KafkaJSTimeout: ['Timeout'],
  KafkaJSLockTimeout: ['Timeout while acquiring lock'],
  KafkaJSUnsupportedMagicByteInMessageSet: ['magic'],
  KafkaJSDeleteTopicRecordsError: [
    {
      topic: 't',
      partitions: [{ partition: 0, offset: '5', error: Object.assign(new Error('e'), { retriable: true }) }],
    },
  ],
  KafkaJSInvariantViolation: ['x must be y'],
  KafkaJSInvalidVarIntError: ['varint'],
  KafkaJSInvalidLongError: ['long'],
  KafkaJSCreateTopicError: [protocol.errorCodes.find((e) => e.code === 36), 'topic-a'],
  KafkaJSAlterPartitionReassignmentsError: [entry, 'topic-a', 4],
  KafkaJSAggregateError: ['several', [inner, 'text']],
  KafkaJSFetcherRebalanceError: [],
  KafkaJSNoBrokerAvailableError: [],
};

/** Own properties that describe the error (not the stack trace, which names our files, or helpUrl). */
function snapshot(e: Error, skip: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(e)) {
    if (key !== 'stack' && !skip.includes(key)) out[key] = (e as unknown as Record<string, unknown>)[key];
  }
  return out;
}

describe('error classes', () => {
  test('every error class kafkajs exports, and nothing kafkajs does not', () => {
    const ourNames = Object.keys(ours).filter((name) => name.startsWith('KafkaJS'));
    expect(ourNames.sort()).toEqual([...classNames].sort());
    for (const name of classNames) expect(ARGS[name]).toBeDefined();
  });

  test.each(classNames)('%s: same lineage as kafkajs', (name) => {
    expect(lineage(ourClasses[name])).toEqual(lineage(theirs[name]));
  });

  test.each(classNames)('%s: same name, message, flags and extra properties, in the same order', (name) => {
    const theirError = new theirs[name](...ARGS[name]);
    const ourError = new ourClasses[name](...ARGS[name]);
    // kafkajs's InvariantViolation links kafkajs's issue tracker; ours has none to link.
    const skip = name === 'KafkaJSInvariantViolation' ? ['helpUrl'] : [];
    expect(snapshot(ourError, skip)).toEqual(snapshot(theirError, skip));
    expect(Object.keys(ourError)).toEqual(Object.keys(theirError));
    expect(String(ourError)).toBe(String(theirError));
  });

  test('instanceof relations between all the classes are kafkajs’s', () => {
    for (const a of classNames) {
      const theirError = new theirs[a](...ARGS[a]);
      const ourError = new ourClasses[a](...ARGS[a]);
      for (const b of classNames) {
        expect([a, b, ourError instanceof ourClasses[b]]).toEqual([a, b, theirError instanceof theirs[b]]);
      }
      expect(ourError).toBeInstanceOf(Error);
    }
  });

  test('NumberOfRetriesExceeded keeps the cause and appends its stack', () => {
    const e = new ours.KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 1, retryTime: 2 });
    expect(e.cause).toBe(inner);
    expect(e.stack.split('\n').slice(0, 2)).toEqual(['KafkaJSNonRetriableError', '  Caused by: Error: inner']);
  });

  test('DeleteTopicRecordsError is retriable only when every failed partition is', () => {
    const retriable = new ours.KafkaJSError('r');
    const fatal = new ours.KafkaJSNonRetriableError('f');
    const make = (errors: Array<ours.KafkaJSError | null>) =>
      new ours.KafkaJSDeleteTopicRecordsError({
        topic: 't',
        partitions: errors.map((error, partition) => ({ partition, offset: '1', error: error as ours.KafkaJSError })),
      });
    for (const errors of [[retriable, null], [retriable, fatal], [fatal], []]) {
      const theirError = new theirs.KafkaJSDeleteTopicRecordsError({
        partitions: errors.map((error, partition) => ({ partition, offset: '1', error })),
      }) as ours.KafkaJSError;
      expect(make(errors).retriable).toBe(theirError.retriable);
    }
  });
});

describe('protocol error table', () => {
  test.each(protocol.errorCodes.map((e) => e.code))('code %i: same entry as kafkajs', (code) => {
    const theirError = protocol.createErrorFromCode(code);
    const ourError = ours.createErrorFromCode(code);
    expect(snapshot(ourError)).toEqual(snapshot(theirError));
  });

  test('a code kafkajs does not know', () => {
    expect(snapshot(ours.createErrorFromCode(4242))).toEqual(snapshot(protocol.createErrorFromCode(4242)));
  });
});

describe('toKafkaJSError', () => {
  // Broker errors as the engine reports them: librdkafka's name for the code, errno the Kafka code.
  const broker = (errno: number) => errorFromErrno(errno);
  const special: Record<number, string> = {
    1: 'KafkaJSOffsetOutOfRange',
    58: 'KafkaJSSASLAuthenticationError',
    79: 'KafkaJSMemberIdRequired',
  };

  test.each(protocol.errorCodes.map((e) => e.code))('broker code %i: kafkajs’s type, code, retriable', (code) => {
    const original = broker(code);
    const converted = toKafkaJSError(original) as ours.KafkaJSProtocolError;
    const expected = protocol.createErrorFromCode(code);
    expect(converted).toBeInstanceOf(ours.KafkaJSError);
    expect(converted.cause).toBe(original);
    if (code === 58) {
      expect(converted).toBeInstanceOf(ours.KafkaJSSASLAuthenticationError);
      expect(converted.retriable).toBe(false);
      return;
    }
    expect(converted).toBeInstanceOf(ours.KafkaJSProtocolError);
    expect(converted.name).toBe(special[code] ?? 'KafkaJSProtocolError');
    expect({
      type: converted.type,
      code: converted.code,
      retriable: converted.retriable,
      message: converted.message,
      helpUrl: converted.helpUrl,
    }).toEqual({
      type: expected.type,
      code: expected.code,
      retriable: expected.retriable,
      message: expected.message,
      helpUrl: expected.helpUrl,
    });
  });

  test('librdkafka names that differ from kafkajs’s map by number', () => {
    const cases: Array<[ErrorCode, number, string]> = [
      ['UNKNOWN_TOPIC_OR_PART', 3, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['INVALID_MSG', 2, 'CORRUPT_MESSAGE'],
      ['MSG_SIZE_TOO_LARGE', 10, 'MESSAGE_TOO_LARGE'],
      ['NOT_COORDINATOR', 16, 'NOT_COORDINATOR_FOR_GROUP'],
      ['COORDINATOR_NOT_AVAILABLE', 15, 'GROUP_COORDINATOR_NOT_AVAILABLE'],
      ['COORDINATOR_LOAD_IN_PROGRESS', 14, 'GROUP_LOAD_IN_PROGRESS'],
      ['STALE_CTRL_EPOCH', 11, 'STALE_CONTROLLER_EPOCH'],
      ['TOPIC_EXCEPTION', 17, 'INVALID_TOPIC_EXCEPTION'],
      ['INVALID_MSG_SIZE', 4, 'INVALID_FETCH_SIZE'],
      ['NOT_LEADER_FOR_PARTITION', 6, 'NOT_LEADER_FOR_PARTITION'],
    ];
    for (const [code, errno, type] of cases) {
      const original = new KafkaError(`Broker: ${code}`, { code });
      expect(original.errno).toBe(errno);
      expect(toKafkaJSError(original)).toMatchObject({ name: 'KafkaJSProtocolError', type, code: errno });
    }
  });

  test('OFFSET_OUT_OF_RANGE carries the topic and partition', () => {
    const original = Object.assign(new KafkaError('Broker: Offset out of range', { code: 'OFFSET_OUT_OF_RANGE' }), {
      topic: 'orders',
      partition: 3,
    });
    const converted = toKafkaJSError(original);
    expect(converted).toBeInstanceOf(ours.KafkaJSOffsetOutOfRange);
    expect(converted).toMatchObject({ topic: 'orders', partition: 3, type: 'OFFSET_OUT_OF_RANGE', retriable: false });
  });

  test('a broker code newer than kafkajs keeps Kafka’s name and the real code', () => {
    const original = new KafkaError('Broker: producer fenced', { code: 'PRODUCER_FENCED' });
    expect(toKafkaJSError(original)).toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'PRODUCER_FENCED',
      code: 90,
      retriable: original.retriable,
      message: 'Broker: producer fenced',
    });
  });

  test.each([
    ['_TIMED_OUT', 'KafkaJSRequestTimeoutError', true],
    ['_TIMED_OUT_QUEUE', 'KafkaJSRequestTimeoutError', true],
    ['_MSG_TIMED_OUT', 'KafkaJSRequestTimeoutError', true],
    ['_TRANSPORT', 'KafkaJSConnectionError', true],
    ['_ALL_BROKERS_DOWN', 'KafkaJSConnectionError', true],
    ['_RESOLVE', 'KafkaJSConnectionError', true],
    ['_SSL', 'KafkaJSConnectionError', true],
    ['_AUTHENTICATION', 'KafkaJSSASLAuthenticationError', false],
    ['_NOT_IMPLEMENTED', 'KafkaJSNotImplemented', false],
    ['_UNSUPPORTED_FEATURE', 'KafkaJSServerDoesNotSupportApiKey', false],
    ['_UNKNOWN_TOPIC', 'KafkaJSProtocolError', true],
    ['_UNKNOWN_PARTITION', 'KafkaJSProtocolError', true],
    ['_QUEUE_FULL', 'KafkaJSError', true],
    ['_DESTROY', 'KafkaJSNonRetriableError', false],
    ['_STATE', 'KafkaJSNonRetriableError', false],
    ['_FENCED', 'KafkaJSNonRetriableError', false],
  ] as Array<[ErrorCode, string, boolean]>)('local %s: %s', (code, name, retriable) => {
    const original = new KafkaError(`Local: ${code}`, { code });
    const converted = toKafkaJSError(original) as ours.KafkaJSError;
    expect(converted.name).toBe(name);
    expect(converted).toBeInstanceOf(ourClasses[name]);
    expect(converted.retriable).toBe(retriable);
    expect(converted.cause).toBe(original);
    if (name === 'KafkaJSProtocolError') {
      expect(converted).toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 });
    } else {
      expect(converted.message).toBe(original.message);
    }
  });

  test('connection errors name the broker and librdkafka’s code', () => {
    const original = new KafkaError(
      '127.0.0.1:9092/1: Connect to ipv4#127.0.0.1:9092 failed: Connection refused (after 0ms in state CONNECT)',
      { code: '_TRANSPORT' },
    );
    expect(toKafkaJSError(original)).toMatchObject({ broker: '127.0.0.1:9092', code: '_TRANSPORT' });
    const down = new KafkaError('1/1 brokers are down', { code: '_ALL_BROKERS_DOWN' });
    expect(toKafkaJSError(down)).toMatchObject({ name: 'KafkaJSConnectionError', broker: undefined });
  });

  test('argument errors, other errors and KafkaJS errors pass through unchanged', () => {
    for (const e of [
      new TypeError('bad'),
      new RangeError('bad'),
      new Error('plain'),
      new ours.KafkaJSTimeout('t'),
      new ours.KafkaJSAggregateError('a', []),
    ]) {
      expect(toKafkaJSError(e)).toBe(e);
    }
    const wrapped = toKafkaJSError('a string');
    expect(wrapped).toBeInstanceOf(ours.KafkaJSNonRetriableError);
    expect(wrapped.message).toBe('a string');
  });

  test('isRebalancing and isKafkaJSError behave as kafkajs’s', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const helpers = require('kafkajs/src/errors') as {
      isRebalancing(e: unknown): boolean;
      isKafkaJSError(e: unknown): boolean;
    };
    for (const code of protocol.errorCodes.map((e) => e.code)) {
      expect(ours.isRebalancing(ours.createErrorFromCode(code))).toBe(
        helpers.isRebalancing(protocol.createErrorFromCode(code)),
      );
    }
    expect(ours.isKafkaJSError(new ours.KafkaJSTimeout('t'))).toBe(true);
    expect(ours.isKafkaJSError(new Error('e'))).toBe(false);
  });
});
