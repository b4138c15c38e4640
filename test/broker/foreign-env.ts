/**
 * The environment for programs that are not the Node processes under test (the broker JVM, openssl, sh,
 * npm, objdump): without the sanitizer runtimes scripts/sanitize.sh preloads into Node. Preloaded into
 * the JVM, ASan takes over its signal handlers and LeakSanitizer reports its allocations at exit (and
 * exits non-zero); those programs are not what the sanitizer run checks.
 */
export function foreignEnv(): NodeJS.ProcessEnv {
  if (!process.env.KAFKA_NAPI_SANITIZER_PRELOAD) return process.env;
  const env = { ...process.env };
  for (const name of ['LD_PRELOAD', 'ASAN_OPTIONS', 'LSAN_OPTIONS', 'UBSAN_OPTIONS', 'KAFKA_NAPI_SANITIZER_PRELOAD']) {
    delete env[name];
  }
  return env;
}
