import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineDocs } from './gen-docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('generated docs', () => {
  it.each(Object.entries(engineDocs()))('%s is current (run `pnpm docs:gen`)', (path, text) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });
});
