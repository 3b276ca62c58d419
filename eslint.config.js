// Type-aware lint: floating promises are bugs in socket code; type-only imports stay type-only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import layers from './layers.cjs';

const { LAYERS, SOCKET_MODULES, SQL_MODULES } = layers;
const domainFolders = LAYERS.filter((l) => l.domain).flatMap((l) => l.folders);

/** no-restricted-imports for module names as written (and their subpaths), with the reason shown. */
function restrictModules(groups) {
  return [
    'error',
    {
      paths: groups.flatMap(({ modules, message }) => modules.map((name) => ({ name, message }))),
      patterns: groups.map(({ modules, message }) => ({
        group: modules.filter((m) => !m.startsWith('node:')).map((m) => `${m}/*`),
        message,
      })),
    },
  ];
}
const NO_SOCKETS = {
  modules: SOCKET_MODULES,
  message: 'The domain knows neither sockets nor HTTP (docs/ARCHITECTURE.md): a transport adapts to it.',
};
const NO_SQL = {
  modules: SQL_MODULES,
  message:
    'Only src/storage/ uses SQL drivers and Kysely (docs/ARCHITECTURE.md): go through the store interface.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/results/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // `l`: V8's linear-time engine, enabled in src/cmdlets/grammar/where-compare.ts.
      'no-invalid-regexp': ['error', { allowConstructorFlags: ['l'] }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // Handlers implement async interfaces; an async function without await is not a bug there.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a const object, not an enum.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Small files in folders named by capability: a source file past 400 lines is split by what it does.
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.conformance.ts', '**/*.fixture.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  // Module names as written, not resolved paths: `ws` resolves into node_modules, where a path rule never looks.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/storage/**', 'src/bench/**'],
    rules: { 'no-restricted-imports': restrictModules([NO_SQL]) },
  },
  {
    files: domainFolders.filter((f) => f !== 'storage').map((f) => `src/${f}/**/*.ts`),
    rules: { 'no-restricted-imports': restrictModules([NO_SOCKETS, NO_SQL]) },
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: { 'no-restricted-imports': restrictModules([NO_SOCKETS]) },
  },
  prettier,
);
