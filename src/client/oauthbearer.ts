/**
 * SASL/OAUTHBEARER with a JS token provider. librdkafka asks for a token on its own threads; the request
 * reaches JS as an 'oauthbearer-refresh' event through the client's pump (never a call into V8 from a
 * librdkafka thread). The provider's token goes back with rd_kafka_oauthbearer_set_token, a failure
 * with rd_kafka_oauthbearer_set_token_failure; librdkafka asks again at 80% of the token's lifetime.
 */
import type { NativeClientBase } from '../native/addon';
import type { OauthBearerToken, SaslOptions } from '../core/security';
import { isPlainObject, typeName } from '../core/validate';

const DEFAULT_LIFETIME_MS = 3_600_000;
const DEFAULT_PRINCIPAL = 'kafka-napi';

type Provider = () => Promise<OauthBearerToken>;

/** Why a provider's answer cannot be used, or undefined. Never quotes the token. */
function invalidToken(token: unknown): string | undefined {
  if (!isPlainObject(token))
    return `resolved ${typeName(token)} instead of { value, lifetimeMs?, principal?, extensions? }`;
  const t = token as Record<string, unknown>;
  if (typeof t.value !== 'string' || t.value.length === 0)
    return `token.value must be a non-empty string, got ${typeName(t.value)}`;
  if (t.lifetimeMs !== undefined && (!Number.isSafeInteger(t.lifetimeMs) || (t.lifetimeMs as number) <= 0)) {
    return 'token.lifetimeMs must be a positive integer';
  }
  if (t.principal !== undefined && (typeof t.principal !== 'string' || t.principal.length === 0)) {
    return `token.principal must be a non-empty string, got ${typeName(t.principal)}`;
  }
  if (t.extensions !== undefined) {
    if (!isPlainObject(t.extensions))
      return `token.extensions must be an object of strings, got ${typeName(t.extensions)}`;
    for (const [k, v] of Object.entries(t.extensions as Record<string, unknown>)) {
      if (typeof v !== 'string') return `token.extensions.${k} must be a string, got ${typeName(v)}`;
    }
  }
  return undefined;
}

export class OauthBearerRefresher {
  readonly #native: NativeClientBase;
  readonly #provider: Provider;
  readonly #onProviderError: (message: string) => void;
  #running = false;
  #again = false;

  constructor(native: NativeClientBase, provider: Provider, onProviderError: (message: string) => void) {
    this.#native = native;
    this.#provider = provider;
    this.#onProviderError = onProviderError;
  }

  /** One provider call at a time; a request arriving meanwhile is served by a second call after it. */
  refresh(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    let answer: Promise<unknown>;
    try {
      answer = Promise.resolve(this.#provider());
    } catch (err) {
      answer = Promise.reject(err);
    }
    answer
      .then(
        (token) => this.#set(token),
        (err: unknown) =>
          this.#fail(`oauthBearerProvider rejected: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.refresh();
        }
      });
  }

  #set(token: unknown): void {
    const invalid = invalidToken(token);
    if (invalid) {
      this.#fail(`oauthBearerProvider ${invalid}`);
      return;
    }
    const t = token as OauthBearerToken;
    const extensions = Object.entries(t.extensions ?? {}).flat();
    try {
      this.#native.setOauthBearerToken(
        t.value,
        Date.now() + (t.lifetimeMs ?? DEFAULT_LIFETIME_MS),
        t.principal ?? DEFAULT_PRINCIPAL,
        extensions,
      );
    } catch (err) {
      // Closed meanwhile (_DESTROY): nobody waits for the token any more.
      if ((err as { code?: string }).code === '_DESTROY') return;
      this.#fail(err instanceof Error ? err.message : String(err));
    }
  }

  #fail(message: string): void {
    this.#onProviderError(message);
    try {
      this.#native.setOauthBearerTokenFailure(message);
    } catch {
      // closed meanwhile
    }
  }
}

/**
 * What a client does with an 'oauthbearer-refresh' event: ask its provider, or (OAUTHBEARER configured
 * through `rdkafka` without a provider) tell librdkafka there is none, so connections fail with
 * _AUTHENTICATION instead of waiting for a token for ever.
 */
export function tokenRefreshHandler(
  native: NativeClientBase,
  sasl: SaslOptions | undefined,
  onProviderError: (message: string) => void,
): () => void {
  if (sasl?.mechanism === 'oauthbearer') {
    const refresher = new OauthBearerRefresher(native, sasl.oauthBearerProvider, onProviderError);
    return () => refresher.refresh();
  }
  return () => {
    const message = "SASL OAUTHBEARER needs a token provider: sasl: { mechanism: 'oauthbearer', oauthBearerProvider }";
    onProviderError(message);
    try {
      native.setOauthBearerTokenFailure(message);
    } catch {
      // closed meanwhile
    }
  };
}
