// The fault and abuse suite (`npm run test:faults`): the main config on tests/faults/ only, with a longer timeout.
// A file name after `--` narrows it: `npm run test:faults -- abuse`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/tests/faults'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
};
