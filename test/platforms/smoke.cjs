'use strict';
// CommonJS entry of the platform smoke run (see smoke-core.cjs).
const { run, report } = require('./smoke-core.cjs');
report(run(require('kafka-napi'), 'cjs'));
