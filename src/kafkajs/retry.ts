/** kafkajs's retry rules for a running consumer: what is retried, and the randomized wait. */
const UNRECOVERABLE = new Set(['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError']);

/** kafkajs's rule: retried unless it says it is not retriable or is a programming error. */
export function isRetriable(error: unknown): boolean {
  const e = error as { retriable?: unknown; name?: unknown } | null;
  if (e === null || typeof e !== 'object') return true;
  return e.retriable !== false && !UNRECOVERABLE.has(String(e.name));
}

/** kafkajs's randomization: retryTime ± factor. */
export function randomized(retryTime: number, factor: number): number {
  const delta = factor * retryTime;
  return Math.ceil(retryTime - delta + Math.random() * 2 * delta);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
