// Counts the sanitizer reports of scripts/sanitize.sh that fail it; prints the count on stdout and the
// first counted reports on stderr.
//   node scripts/sanitize/count-reports.js <reports dir>
// Counted: every ASan error and UBSan report; of the leak reports, the leaks our code allocated. "Ours" is
// decided by the frame that called the allocator (the first frame outside the sanitizer runtime): code in
// the addon (our C++, librdkafka, and the libraries linked into kafka_napi.node: frames with a source line
// from our -g build, or "(…kafka_napi.node+0x…)"), or an N-API function (napi_create_reference…) called
// straight from it. Not counted: memory V8 or Node allocated for itself (remembered sets, slot sets,
// maps…) while JavaScript ran, even when that JavaScript was called from our callback: its frames sit
// above ours in the stack, which the former rule (any frame in the addon) counted as ours.
// KNOWN leaks are analyzed findings (docs/internals/reliability-journal.md, "Sanitizers"): they are printed and not counted.
'use strict';
const fs = require('fs');
const path = require('path');

const KNOWN = [
  {
    // node-addon-api's per-method data of a class, allocated once per Node environment when the addon
    // initializes (our ::Init(Napi::Env)), is freed by the environment's teardown; a process leaving by
    // process.exit() skips that teardown, and the only pointer to it sits in V8's heap, which LeakSanitizer
    // does not scan. Bounded: one set per environment, never per client or call.
    name: "node-addon-api class method data from the addon's initialization (freed at environment teardown)",
    test: (block) => /InstanceWrap<[^>]+>::Instance(Method|Accessor)/.test(block) && /::Init\(Napi::Env\)/.test(block),
  },
];

const dir = process.argv[2];
const frames = (block) => block.split('\n').filter((l) => /^\s+#\d+ /.test(l));
const sanitizer = (f) => /libsanitizer|\/libasan|\/libubsan|__interceptor_|asan_malloc|asan_new_delete/.test(f);
// A frame of ours: in the addon binary, or with a source location (only our build has debug info here).
const inAddon = (f) => f.includes('kafka_napi.node') || (!/\(\/[^)]*\+0x[0-9a-f]+\)\s*$/.test(f) && /:\d+/.test(f));
let n = 0;
let skipped = 0;
const known = new Map();
for (const f of fs.readdirSync(dir)) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  for (const block of text.split(/\n(?=\S)/)) {
    const leak = /^(Direct|Indirect) leak of/.test(block);
    const error = /^(==\d+==ERROR: AddressSanitizer|.*runtime error:)/m.test(block);
    let ours = !leak && error;
    if (leak) {
      const fs_ = frames(block);
      const i = fs_.findIndex((l) => !sanitizer(l));
      const caller = fs_[i] ?? '';
      const next = fs_[i + 1] ?? '';
      ours = inAddon(caller) || (/ in napi_/.test(caller) && inAddon(next));
      if (!ours && block.includes('kafka_napi.node')) skipped++;
      const k = ours ? KNOWN.find((x) => x.test(block)) : undefined;
      if (k) {
        known.set(k.name, (known.get(k.name) ?? 0) + 1);
        ours = false;
      }
    }
    if (ours) {
      n++;
      if (n <= 5) console.error(`--- ${f}\n${block.split('\n').slice(0, 30).join('\n')}`);
    }
  }
}
if (skipped > 0) {
  console.error(`sanitize: ${skipped} leak(s) of V8/Node memory with the addon below them on the stack, not counted`);
}
for (const [name, count] of known) console.error(`sanitize: known, not counted: ${count} leak report(s): ${name}`);
console.log(n);
