/**
 * Three jest projects. `npm test` runs them all; `npm run test:unit` runs only `unit`, the loop of seconds.
 * Only `integration` starts a broker, and a project's global setup runs only when one of its tests is
 * selected, so a run of unit or kit tests (or `npx jest test/unit/x.test.ts`) never starts the JVM.
 *   unit         test/unit: the addon, argument checks, the TypeScript layers; no broker, no waiting on
 *                group protocols. Anything that needs a real broker belongs to integration.
 *   testing      test/testing: the testing kit (kafka-napi/testing) on librdkafka's mock cluster, whose
 *                group rebalances take seconds each.
 *   integration  test/integration against one real broker for the whole run (or KAFKA_BOOTSTRAP_SERVERS).
 * The fault suite has its own config (jest.faults.config.js) and step.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // isolatedModules (tsconfig.jest.json): each file transpiled alone, no type check here (`npm run lint`
  // type-checks everything), which keeps a run's start fast.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
};

module.exports = {
  projects: [
    // These two need no broker: their global setup only checks that the addon is not older than native/.
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'], globalSetup: '<rootDir>/test/unit-setup.ts' },
    {
      ...shared,
      displayName: 'testing',
      roots: ['<rootDir>/test/testing'],
      globalSetup: '<rootDir>/test/unit-setup.ts',
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  // A global option: jest ignores it inside a project's config (and would use its 5 s default).
  testTimeout: 60_000,
  // Two cores: one broker JVM plus two test workers keeps the machine busy without starving Kafka.
  maxWorkers: 2,
  verbose: true,
};
