import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'engine', include: ['engine/src/**/*.test.ts'] } },
      { test: { name: 'cli', include: ['cli/src/**/*.test.ts'] } },
      { test: { name: 'runtime-api', include: ['runtime-api/src/**/*.test.ts'] } },
      { test: { name: 'designer', include: ['designer/src/**/*.test.{ts,tsx}'], environment: 'jsdom' } },
      { test: { name: 'tests', include: ['tests/**/*.test.ts'], exclude: ['tests/browser/**', '**/node_modules/**'], testTimeout: 60000, hookTimeout: 60000 } },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120000,
          hookTimeout: 120000,
        },
      },
    ],
  },
});
