/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault suite starts clusters of its own and runs for minutes: its own step (jest.faults.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  // isolatedModules (tsconfig.jest.json): each file transpiled alone, no type check here (`npm run lint`
  // type-checks everything), which keeps a run's start fast.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  // One real broker for the whole run (or KAFKA_BOOTSTRAP_SERVERS when set).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: one broker JVM plus two test workers keeps the machine busy without starving Kafka.
  maxWorkers: 2,
  verbose: true,
};
