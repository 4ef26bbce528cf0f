import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test/host/fixture-ext/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Randomness comes only from crypto.getRandomValues.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use RandomSource (crypto.getRandomValues) from src/core/random.ts.' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Use RandomSource (crypto.getRandomValues).' }],
    },
  },
  {
    // src/core is pure: no vscode, no Node built-ins, so it runs in the browser, the Node host and the CLI.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', ...nodeBuiltins].map((name) => ({ name, message: 'src/core must stay free of vscode and Node built-ins.' })),
        patterns: [{ group: ['node:*'], message: 'src/core must stay free of Node built-ins.' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'Buffer', message: 'src/core cannot use Buffer: use Uint8Array.' },
        { name: 'process', message: 'src/core cannot use process.' },
        { name: 'require', message: 'src/core cannot use require.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
