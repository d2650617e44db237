// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default defineConfig(
  { ignores: ['**/node_modules/**', '**/dist/**', 'docs/**', '**/*.cjs', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs}', 'scripts/**', 'bench/**', 'tests/**', 'cli/**', 'runtime-api/**', 'process-templates/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine is pure: no I/O, no clock, no framework. Enforced here and by engine/src/purity.test.ts.
    files: ['engine/src/**/*.ts'],
    ignores: ['engine/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'http', 'https', 'child_process', 'crypto'], message: 'engine does no I/O' },
            { group: ['express', 'better-sqlite3', 'pg', 'react', 'react-dom', '@flowpath/*'], message: 'engine imports no runtime, store or UI' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time is passed in as `now`' },
        { object: 'Math', property: 'random', message: 'the engine is deterministic' },
      ],
    },
  },
  {
    files: ['designer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@flowpath/runtime-api', 'better-sqlite3', 'express', 'node:*'], message: 'the designer reaches the server over HTTP only (src/api/client.ts)' }] },
      ],
    },
  },
);
