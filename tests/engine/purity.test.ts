import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths';

/** The engine must stay pure so it runs unchanged in the browser and the server. */
const FORBIDDEN = [/^node:/, /^(fs|path|os|http|https|net|child_process|crypto|worker_threads)$/, /^(express|better-sqlite3|pg|react|react-dom)$/, /^@flowpath\//];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('engine purity', () => {
  const files = sources(join(repoRoot, 'engine', 'src'));

  it('imports no I/O, server, store or UI module', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? '';
        if (FORBIDDEN.some((re) => re.test(spec))) offenders.push(`${relative(repoRoot, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads no clock and draws no random numbers', () => {
    const offenders = files.filter((f) => /\bDate\.now\(|\bMath\.random\(|new Date\(\s*\)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
