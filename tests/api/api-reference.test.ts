/** docs/api.md is the OpenAPI document in prose; it must be regenerated when a route changes. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { apiReference } from '@flowpath/runtime-api';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'api.md');

test('docs/api.md matches the routes (regenerate with pnpm --filter @flowpath/runtime-api docs:api)', async () => {
  expect(readFileSync(file, 'utf8')).toBe(await apiReference());
});
