// CommonJS jest with @swc/jest. ESM-only dependencies are transformed to CJS (see README, "Tests").
const esmOnly = [
  '@octokit',
  'universal-user-agent',
  'universal-github-app-jwt',
  'before-after-hook',
  'content-type',
  'jose',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The fault and abuse suite runs on its own: `npm run test:faults` (one file at a time, longer timeout).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@octokit/auth-unauthenticated$': '<rootDir>/node_modules/@octokit/auth-unauthenticated/dist-node/index.js',
    '^@octokit/webhooks-methods$': '<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js',
  },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  testTimeout: 30_000,
};
