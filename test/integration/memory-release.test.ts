/**
 * A client's close gives what its librdkafka handle freed back to the system (native/core/allocator.h). glibc
 * keeps freed memory in its heaps, resident, until reused: the soak saw RSS creep with in-use memory
 * flat (docs/reliability.md). No broker: the records wait for one that never answers.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { addon } from '../../src/native/addon';

const CHILD = path.join(__dirname, 'fixtures', 'memory-release-child.js');

// Under scripts/sanitize.sh the C allocator is AddressSanitizer's: there are no glibc heaps to measure.
const glibcAllocator = !process.env.KAFKA_NAPI_SANITIZER_PRELOAD;

(glibcAllocator ? test : test.skip)(
  'closing clients returns the memory librdkafka freed to the system',
  () => {
    // Only glibc keeps freed memory this way (and has malloc_trim); the prebuilds are glibc builds.
    expect(addon.mallocStats()).not.toBeNull();
    const { before, open, closed } = JSON.parse(execFileSync(process.execPath, [CHILD], { encoding: 'utf8' })) as {
      before: number;
      open: number;
      closed: number;
    };
    // 400,000 queued records of 200 bytes make the heaps grow by over 100 MiB.
    expect(open - before).toBeGreaterThan(100 * 1024);
    // Measured: 11-35 MiB left of ~160 MiB with the release, 159-162 MiB left without it.
    expect(closed - before).toBeLessThan((open - before) / 2);
  },
  60_000,
);
