// Layer rules: a wrong-direction import fails `npm run lint` (and so `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'stream', 'url', 'util', 'events', 'worker_threads'];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', '.tsbuild/**', 'node_modules/**', 'data/**', 'bench/results*.json', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src-common/**'],
    rules: restrict(
      [...NODE_BUILTINS, 'electron', 'react', 'react-dom', 'better-sqlite3', 'ws', '**/src-main/**', '**/src-renderer/**', '**/src-drivers/**', '**/src-server/**'],
      'src-common is pure TypeScript: no Node, DOM, Electron or other layers.',
    ),
  },
  {
    files: ['src-renderer/**'],
    ignores: ['src-renderer/vite.config.ts'],
    rules: restrict(
      [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'ws', '**/src-main/**', '**/src-drivers/**', '**/src-server/**'],
      'The renderer talks to the backend only through the RPC contract in src-common.',
    ),
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/src-renderer/**', '**/src-server/**'], 'Only src-main/electron imports electron; src-main never imports the renderer or server.'),
  },
  {
    files: ['src-main/electron/**'],
    rules: restrict(['react', 'react-dom', '**/src-renderer/**', '**/src-server/**'], 'Electron entry points wire the backend; no UI code here.'),
  },
  {
    files: ['src-drivers/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/src-main/**', '**/src-renderer/**', '**/src-server/**'], 'Drivers depend only on src-common.'),
  },
  {
    files: ['src-server/**'],
    rules: restrict(['electron', 'react', 'react-dom', 'better-sqlite3', '**/src-main/**', '**/src-renderer/**', '**/src-drivers/**'], 'The head office shares only src-common with the till.'),
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'A focused test skips the rest of the suite.' },
        { object: 'test', property: 'only', message: 'A focused test skips the rest of the suite.' },
        { object: 'describe', property: 'only', message: 'A focused test skips the rest of the suite.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
