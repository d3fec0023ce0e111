/** Jest runs the TypeScript sources as native ESM (node --experimental-vm-modules), transpiled by swc.
 *  Type checking is done by `tsc --noEmit` in `npm test`, so swc only strips types here. */
export default {
  testEnvironment: '<rootDir>/test/environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  testTimeout: 120000,
  // numerics and tfjs are CPU heavy; two cores here
  maxWorkers: 2,
};
