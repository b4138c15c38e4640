/**
 * The fault suite (test/faults/, `npm run test:faults`): network faults through a TCP proxy and broker
 * faults on 3 nodes, each test on a cluster of its own, one test file at a time (each holds a cluster
 * and a load; two at once would measure the 2-core machine, not the client).
 * @type {import('jest').Config}
 */
const { projects, verbose } = require('./jest.config.js');
// The integration project's settings without its name and its single-broker teardown.
const {
  displayName: _name,
  globalTeardown: _teardown,
  ...integration
} = projects.find((p) => p.displayName === 'integration');

module.exports = {
  ...integration,
  roots: ['<rootDir>/test/faults'],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  testTimeout: 600_000,
  maxWorkers: 1,
  verbose,
};
