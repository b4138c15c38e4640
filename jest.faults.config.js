/**
 * The fault suite (test/faults/, `npm run test:faults`): network faults through a TCP proxy and broker
 * faults on 3 nodes, each test on a cluster of its own, one test file at a time (each holds a cluster
 * and a load; two at once would measure the 2-core machine, not the client).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: undefined,
  testTimeout: 600_000,
  maxWorkers: 1,
};
