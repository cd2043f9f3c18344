/**
 * Nest 12 ships ESM only; Jest on Node 20 runs CommonJS. @swc/jest compiles our TypeScript and
 * the ESM packages listed below into CommonJS (run under --experimental-vm-modules).
 */
const esmPackages = [
  '@nestjs',
  '@standard-schema',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'ansis',
  'tinyglobby',
  'fdir',
  'nestjs-pino',
  'cockatiel',
];

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '(test/.*\\.e2e-spec|(src|libs)/.*\\.spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json', 'mjs'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1',
    '^@app/provider-simulators(|/.*)$': '<rootDir>/libs/provider-simulators/src$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 60000,
  maxWorkers: 1,
};
