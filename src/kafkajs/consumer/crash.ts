/** kafkajs's decision after a consumer crashed: restart it or not. */
import type { Logger } from '../logger';
import type { RetryOptions } from '../types';

function rootCause(error: Error): unknown {
  let e: unknown = error;
  while ((e as { cause?: unknown })?.cause) e = (e as { cause: unknown }).cause;
  return e;
}

/**
 * Restart when the error is retriable (retries exhausted, or its root cause says so) and the
 * application's restartOnFailure, if any, agrees; a restartOnFailure that throws means restart.
 */
export async function shouldRestart(
  error: Error,
  retry: RetryOptions,
  logger: Logger,
  groupId: string,
): Promise<boolean> {
  const original = rootCause(error);
  const retriable =
    error.name === 'KafkaJSNumberOfRetriesExceeded' || (original as { retriable?: unknown }).retriable === true;
  if (!retriable || !retry.restartOnFailure) return retriable;
  return retry.restartOnFailure(error).catch((e: unknown) => {
    logger.error('Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.', {
      error: (e as Error)?.message ?? String(e),
      cause: error.message,
      groupId,
    });
    return true;
  });
}
