import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which program may import which (README "Layout"). The actions (src/) ship alone in their bundles; the
 * emulator stands for AWS and knows no client of it; the local runner stands for GitHub's runner and
 * reaches the actions' runtime through one seam file; the demo sits on top; the scripts, the test kit
 * and the tests may import the programs, and nothing imports the tests. Imports are matched by their
 * relative path, static and dynamic alike.
 */
const SEAM = 'local-runner/action-runtime-seam.ts';

/** Imports of these programs from anywhere below the repository root: `../emulator/…`, `../../emulator/…`. */
const programs = (...names) => names.map((name) => ({ name: `${name}/`, regex: `^(\\.\\./)+${name}(/|$)` }));

const BOUNDARIES = [
  {
    files: ['src/**'],
    why: 'the actions ship alone in their bundles',
    forbidden: programs('emulator', 'local-runner', 'demo', 'scripts', 'testkit', 'test'),
  },
  {
    files: ['emulator/**'],
    why: 'the emulator stands for AWS, beneath every other program',
    forbidden: programs('src', 'local-runner', 'demo', 'scripts', 'testkit', 'test'),
  },
  {
    files: ['local-runner/**'],
    ignores: [SEAM],
    why: `the local runner is given its OIDC issuer and reaches src/ only through ${SEAM}`,
    forbidden: programs('src', 'emulator', 'demo', 'scripts', 'testkit', 'test'),
  },
  {
    files: [SEAM],
    why: "the seam passes on the actions' runtime alone",
    forbidden: [
      { name: 'src/ outside src/runtime/', regex: '^(\\.\\./)+src/(?!runtime/)' },
      ...programs('emulator', 'demo', 'scripts', 'testkit', 'test'),
    ],
  },
  {
    files: ['demo/**'],
    why: 'the demo sits on the programs, not on the scripts or the tests',
    forbidden: programs('scripts', 'testkit', 'test'),
  },
  {
    files: ['testkit/**'],
    why: 'the test kit serves the tests from beneath them',
    forbidden: programs('demo', 'scripts', 'test'),
  },
  {
    files: ['scripts/**'],
    why: 'the scripts work on the programs, not on the demo or the tests',
    forbidden: programs('demo', 'test'),
  },
];

function boundary({ files, ignores, why, forbidden }) {
  const message = (target) => `${files[0].replace(/\*\*$/, '')} does not import ${target.name}: ${why}.`;
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: forbidden.map((target) => ({ regex: target.regex, message: message(target) })) },
      ],
      // no-restricted-imports does not see import(); an esquery regex ends at the first slash, hence \x2F.
      'no-restricted-syntax': [
        'error',
        ...forbidden.map((target) => ({
          selector: `ImportExpression > Literal.source[value=/${target.regex.replaceAll('/', '\\x2F')}/]`,
          message: message(target),
        })),
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  // The actions' code is read with its types: a promise nobody awaits, a needless assertion or an
  // object printed as "[object Object]" is a bug there, in a step's log or an AWS call.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['src/**/*.ts'] })),
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['scripts/**', 'emulator/**', 'demo/**', 'test/**', 'testkit/**'],
    rules: { 'no-console': 'off' },
  },
  ...BOUNDARIES.map(boundary),
);
