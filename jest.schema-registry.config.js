/**
 * The schema registry suite (test/schema-registry/, `npm run test:schema-registry`): kafka-napi's serdes
 * against a real Apicurio Registry and a real broker, and interop with the Python client
 * (confluent-kafka's serializers). Its own step: it starts a registry JVM beside the broker and runs Python,
 * which `npm test` need not pay for.
 * @type {import('jest').Config}
 */
const { projects, verbose } = require('./jest.config.js');
// The integration project's settings without its name and its single-broker setup and teardown.
const {
  displayName: _name,
  globalSetup: _setup,
  globalTeardown: _teardown,
  ...integration
} = projects.find((p) => p.displayName === 'integration');

module.exports = {
  ...integration,
  roots: ['<rootDir>/test/schema-registry'],
  globalSetup: '<rootDir>/test/schema-registry/global-setup.ts',
  globalTeardown: '<rootDir>/test/schema-registry/global-teardown.ts',
  testTimeout: 120_000,
  // The broker, the registry and a Python process share two cores.
  maxWorkers: 1,
  verbose,
};
