/** Writes docs/api.md from the OpenAPI document (`pnpm --filter @flowpath/runtime-api docs:api`). */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiReference } from '../api-reference';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const file = join(root, 'docs', 'api.md');
writeFileSync(file, await apiReference());
process.stdout.write(`wrote ${file}\n`);
