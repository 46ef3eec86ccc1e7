/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking happens once in `npm test` (tsc --noEmit); per-file transpilation keeps jest fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  maxWorkers: 2,
  // Many tests run the built CLI or synthesize whole stacks; a loaded 2-core machine needs more than
  // jest's 5 s default. Speed is measured by `npm run bench`, never by a test's time limit.
  testTimeout: 120000,
};
