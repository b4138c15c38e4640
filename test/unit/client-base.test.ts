// The lifecycle every client shares (src/client/base.ts), on a fake native client: no broker, no librdkafka.
import { KafkaClient } from '../../src/client/base';
import type { KafkaError } from '../../src/core/errors';
import type { NativeClient, NativeEvent } from '../../src/native/addon';
import type { CommonOptions } from '../../src/core/types';

function fakeNative() {
  const calls: string[] = [];
  const native: NativeClient = {
    ref: () => void calls.push('ref'),
    unref: () => void calls.push('unref'),
    name: () => 'test#admin-1',
    metadata: () => Promise.reject(new Error('not here')),
    close: async () => void calls.push('close'),
    setOauthBearerToken: () => undefined,
    setOauthBearerTokenFailure: () => undefined,
  };
  return { native, calls };
}

class TestClient extends KafkaClient<NativeClient> {
  authFailures: KafkaError[] = [];
  wakes = 0;
  constructor(options: CommonOptions, native: NativeClient) {
    super('KafkaAdmin', options, () => native);
  }
  close(): Promise<void> {
    return this.closeOnce(() => this.native.close());
  }
  protected override onWake(): void {
    this.wakes++;
  }
  protected override onAuthFailure(error: KafkaError): void {
    this.authFailures.push(error);
  }
  // The protected surface, opened for the test.
  open = (): void => this.checkUsable();
  busy = (b: boolean): void => this.setBusy(b);
  say = (level: 'error' | 'warn' | 'info' | 'debug', m: string): void => this.log(level, m);
  events = (e: NativeEvent[]): void => this.dispatch(e);
  trip = (e: KafkaError): void => this.auth.trip(e);
}

test('close() runs once, every call shares its promise, and later calls fail with _DESTROY', async () => {
  const { native, calls } = fakeNative();
  const c = new TestClient({ bootstrapServers: 'x:1' }, native);
  c.open();
  const a = c.close();
  expect(c.close()).toBe(a);
  await c[Symbol.asyncDispose]();
  await a;
  expect(calls).toEqual(['close']);
  expect(() => c.open()).toThrow(expect.objectContaining({ name: 'KafkaError', code: '_DESTROY' }));
});

test('the event loop is held exactly while busy: ref and unref stay balanced', () => {
  const { native, calls } = fakeNative();
  const c = new TestClient({ bootstrapServers: 'x:1' }, native);
  c.busy(false);
  c.busy(true);
  c.busy(true);
  c.busy(false);
  c.busy(false);
  c.busy(true);
  expect(calls).toEqual(['ref', 'unref', 'ref']);
});

test("without a logger, warnings and errors go to stderr with the library's prefix; info and debug stay quiet", () => {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    const c = new TestClient({ bootstrapServers: 'x:1' }, fakeNative().native);
    c.say('error', 'e1');
    c.say('warn', 'w1');
    c.say('info', 'i1');
    c.say('debug', 'd1');
    expect(error.mock.calls).toEqual([['kafka-napi: e1']]);
    expect(warn.mock.calls).toEqual([['kafka-napi: w1']]);
    expect(info).not.toHaveBeenCalled();
  } finally {
    jest.restoreAllMocks();
  }
});

test("with a logger, the client's own lines and librdkafka's events go to it alone", () => {
  const lines: string[] = [];
  const logger = {
    error: (m: string) => void lines.push(`error ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    info: (m: string) => void lines.push(`info ${m}`),
  };
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const c = new TestClient({ bootstrapServers: 'x:1', logger }, fakeNative().native);
    c.say('error', 'own');
    c.events([{ type: 'log', level: 3, facility: 'FAIL', message: 'from librdkafka' }]);
    expect(lines).toEqual(['error own', 'error from librdkafka']);
    expect(error).not.toHaveBeenCalled();
  } finally {
    jest.restoreAllMocks();
  }
});

test('authentication failures in events reach the client; a tripped latch fails new calls', () => {
  const c = new TestClient({ bootstrapServers: 'x:1', logger: {} }, fakeNative().native);
  const failure = { code: '_AUTHENTICATION', message: 'SASL authentication error: bad password', fatal: false };
  c.events([{ type: 'error', error: failure as unknown as KafkaError }]);
  expect(c.authFailures.map((e) => e.code)).toEqual(['_AUTHENTICATION']);
  c.trip(c.authFailures[0]);
  expect(() => c.open()).toThrow(expect.objectContaining({ code: '_AUTHENTICATION' }));
});
