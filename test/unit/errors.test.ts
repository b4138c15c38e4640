import { KafkaError, KafkaProducer } from '../../src';
import { errorFromErrno } from '../../src/core/errors';

describe('KafkaError', () => {
  test('is an Error subclass with code, errno and flags', () => {
    const e = new KafkaError('boom', { code: '_MSG_TIMED_OUT' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KafkaError');
    expect(e.code).toBe('_MSG_TIMED_OUT');
    expect(e.errno).toBe(-192);
    expect(e.retriable).toBe(true);
    expect(e.fatal).toBe(false);
    expect(e.abortable).toBe(false);
    expect(e.stack).toContain('boom');
  });

  test('from a librdkafka error number uses librdkafka names without the prefix', () => {
    expect(errorFromErrno(3)).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PART', errno: 3, retriable: true });
    expect(errorFromErrno(10)).toMatchObject({ code: 'MSG_SIZE_TOO_LARGE', retriable: false });
    // A commit that found no coordinator in time: transient, like COORDINATOR_NOT_AVAILABLE.
    expect(new KafkaError('x', { code: '_WAIT_COORD' })).toMatchObject({ errno: -180, retriable: true });
    const destroy = new KafkaError('x', { code: '_DESTROY' });
    expect(destroy.errno).toBeLessThan(0);
    expect(errorFromErrno(destroy.errno)).toMatchObject({ code: '_DESTROY' });
  });

  test('errors created in C++ are instances of the same KafkaError class', () => {
    let thrown: unknown;
    try {
      new KafkaProducer({ bootstrapServers: '127.0.0.1:1', rdkafka: { 'bogus.prop': 'x' } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KafkaError);
    expect(thrown).toMatchObject({ code: '_INVALID_ARG', errno: -186, fatal: false });
  });

  test('cause is kept', () => {
    const cause = new Error('inner');
    expect(new KafkaError('outer', { code: '_VALUE_SERIALIZATION', cause }).cause).toBe(cause);
  });
});

describe('calls on a closed client reject with _DESTROY, never crash', () => {
  test('send after close', async () => {
    const p = new KafkaProducer({ bootstrapServers: '127.0.0.1:1' });
    await p.close(0);
    await expect(p.send('t', 'x')).rejects.toMatchObject({ name: 'KafkaError', code: '_DESTROY' });
    await expect(p.sendBatch('t', [{ value: 'x' }])).rejects.toMatchObject({ code: '_DESTROY' });
  });

  test('wrong argument types are TypeErrors', async () => {
    const p = new KafkaProducer({ bootstrapServers: '127.0.0.1:1' });
    try {
      await expect(p.send(42 as never, 'x')).rejects.toThrow(TypeError);
      await expect(p.send('t', { an: 'object' } as never)).rejects.toThrow(/valueSerializer/);
      await expect(p.send('t', 'x', { partition: Number.NaN })).rejects.toThrow(RangeError);
      await expect(p.send('t', 'x', { key: 12 as never })).rejects.toThrow(TypeError);
      await expect(p.sendBatch('t', 'nope' as never)).rejects.toThrow(TypeError);
    } finally {
      await p.close(0);
    }
  });
});
