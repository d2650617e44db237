import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the tests run from. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
