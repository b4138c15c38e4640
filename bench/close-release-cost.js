// What releasing freed memory at close (native/allocator.h: malloc_trim on the close thread) costs: 20
// producers, each with 20,000 records queued for a broker that never answers, closed one by one; prints
// each close()'s duration and the longest event-loop gap meanwhile (docs/performance.md). Compare with the
// release disabled by a malloc_trim that does nothing:
//   node bench/close-release-cost.js
//   printf 'int malloc_trim(unsigned long p){return 0;}' | gcc -shared -fPIC -x c - -o /tmp/notrim.so
//   LD_PRELOAD=/tmp/notrim.so node bench/close-release-cost.js
'use strict';
const { performance } = require('node:perf_hooks');
const { KafkaProducer } = require('../dist/cjs');

(async () => {
  const producers = Array.from(
    { length: 20 },
    () => new KafkaProducer({ bootstrapServers: '127.0.0.1:1', lingerMs: 100_000, logger: {} }),
  );
  const payload = Buffer.alloc(200, 1);
  const sends = [];
  for (const p of producers) for (let i = 0; i < 20_000; i++) sends.push(p.send('t', payload).catch(() => {}));
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the sends cross to librdkafka in batches
  const times = [];
  let maxGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  for (const p of producers) {
    const start = performance.now();
    await p.close(0);
    times.push(Math.round(performance.now() - start));
  }
  clearInterval(ticker);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`close ms: ${times.join(', ')}; median ${sorted[10]}; longest event-loop gap ${maxGap.toFixed(0)} ms`);
  process.exit(0);
})();
