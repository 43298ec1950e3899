// Lint: TypeScript rules plus the import boundaries of the architecture (STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The routing core is free of I/O: no node: modules, no sockets, no engine, no timers.
    files: ['router/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'net', 'tls', 'fs', 'dgram', 'http', 'https', 'child_process', 'timers', 'os'], message: 'router/core has no I/O (STYLE.md).' },
          { group: ['**/amqp/**', '**/amqp', '**/mesh/**', '**/observe/**', '**/management/**', '**/cli/**', '**/config/**'], message: 'router/core imports nothing above it (STYLE.md).' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'router/core is clocked from outside: take `now`.' },
        { name: 'setInterval', message: 'router/core is clocked from outside: take `now`.' },
        { name: 'setImmediate', message: 'router/core is clocked from outside.' },
        { name: 'process', message: 'router/core has no I/O.' },
        { name: 'Date', message: 'router/core takes time as a `now` argument.' },
      ],
    },
  },
  {
    // The engine knows nothing of routing.
    files: ['router/amqp/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/**', '**/mesh/**', '**/management/**', '**/cli/**', '**/config/**'], message: 'router/amqp makes no routing decisions (STYLE.md).' }] }],
    },
  },
);
