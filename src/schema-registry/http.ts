/**
 * Requests to a Confluent-compatible registry's REST API over node:http(s): several base URLs tried in
 * turn (the one that answered last first), keep-alive connections, a deadline per request, basic or
 * bearer authentication. Credentials never appear in an error message: URLs are shown without them.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { SecureContextOptions } from 'node:tls';

/** Basic credentials, or a function giving a bearer token (called for every request: it caches, not us). */
export type RegistryAuth =
  | { username: string; password: string }
  | {
      /** Called before every request: cache the token yourself. */
      bearerToken: () => string | Promise<string>;
    };

export interface HttpOptions {
  readonly urls: readonly string[];
  readonly auth: RegistryAuth | undefined;
  readonly ssl: (SecureContextOptions & { rejectUnauthorized?: boolean }) | undefined;
  readonly timeoutMs: number;
}

/**
 * A failed registry request: `status` is the HTTP status (0 when no registry answered) and `errorCode` the
 * registry's own code when it gave one (40401 subject not found, 40403 schema not found, 409
 * incompatible, 42201 invalid schema, ...).
 */
export class SchemaRegistryError extends Error {
  override name = 'SchemaRegistryError';
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface Target {
  readonly base: URL;
  /** The URL as it may be shown: no user or password. */
  readonly shown: string;
  readonly basic: string | undefined;
}

export class RegistryHttp {
  readonly #targets: Target[];
  readonly #http = new http.Agent({ keepAlive: true });
  readonly #https: https.Agent;
  /** The target that answered last: tried first. */
  #preferred = 0;
  /** `auth`'s basic credentials as a header; they win over credentials in a URL. */
  readonly #basic: string | undefined;

  constructor(private readonly options: HttpOptions) {
    this.#targets = options.urls.map(target);
    const auth = options.auth;
    this.#basic = auth !== undefined && 'username' in auth ? basicHeader(auth.username, auth.password) : undefined;
    this.#https = new https.Agent({ keepAlive: true, ...options.ssl });
  }

  /** The registry's JSON answer, trying each URL while none answers (or answers 5xx). */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: CONTENT_TYPE };
    if (payload !== undefined) headers['Content-Type'] = CONTENT_TYPE;
    const auth = this.options.auth;
    if (auth !== undefined && 'bearerToken' in auth) headers.Authorization = `Bearer ${await auth.bearerToken()}`;
    let last: SchemaRegistryError | undefined;
    const count = this.#targets.length;
    for (let attempt = 0; attempt < count; attempt++) {
      const index = (this.#preferred + attempt) % count;
      const t = this.#targets[index];
      try {
        const result = await this.#send<T>(t, method, path, headers, payload);
        this.#preferred = index;
        return result;
      } catch (err) {
        const error = err as SchemaRegistryError;
        // A registry that answered with a client error would answer the same everywhere.
        if (error.status >= 400 && error.status < 500) throw error;
        last = error;
      }
    }
    throw last!;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  #send<T>(
    t: Target,
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ): Promise<T> {
    const url = new URL(t.base.pathname.replace(/\/$/, '') + path, t.base);
    const secure = url.protocol === 'https:';
    const authorization = headers.Authorization ?? this.#basic ?? t.basic;
    const finalHeaders = authorization === undefined ? headers : { ...headers, Authorization: authorization };
    const where = `${method} ${t.shown}${path}`;
    return new Promise<T>((resolve, reject) => {
      const req = (secure ? https : http).request(
        url,
        { method, headers: finalHeaders, agent: secure ? this.#https : this.#http, timeout: this.options.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) =>
            reject(new SchemaRegistryError(`${where}: ${err.message}`, 0, undefined, { cause: err })),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let json: unknown;
            try {
              json = text.length === 0 ? undefined : JSON.parse(text);
            } catch {
              json = undefined;
            }
            if (status >= 200 && status < 300) {
              resolve(json as T);
              return;
            }
            const body = (json ?? {}) as { error_code?: unknown; message?: unknown };
            const errorCode = typeof body.error_code === 'number' ? body.error_code : undefined;
            const detail = typeof body.message === 'string' ? body.message : text.slice(0, 200);
            reject(
              new SchemaRegistryError(
                `${where}: HTTP ${status}${errorCode ? ` (${errorCode})` : ''}: ${detail}`,
                status,
                errorCode,
              ),
            );
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (err) =>
        reject(new SchemaRegistryError(`${where}: ${err.message}`, 0, undefined, { cause: err })),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

function target(raw: string): Target {
  const base = new URL(raw);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new RangeError(`url must be an http: or https: URL, got ${base.protocol}`);
  }
  const basic =
    base.username !== ''
      ? basicHeader(decodeURIComponent(base.username), decodeURIComponent(base.password))
      : undefined;
  base.username = '';
  base.password = '';
  return { base, shown: base.toString().replace(/\/$/, ''), basic };
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
