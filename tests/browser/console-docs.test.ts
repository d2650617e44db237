/**
 * The operator's guide shows the screenshots the console's browser tests make: every screen it
 * walks through must be referenced, and every image it references must be a real, full-size
 * screenshot in docs/screenshots.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../engine/paths';

const docs = join(repoRoot, 'docs');

function pngSize(file: string): { width: number; height: number } | null {
  const b = readFileSync(file);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("the operator's guide and its screenshots", () => {
  const guide = readFileSync(join(docs, 'operator-guide.md'), 'utf8');
  const images = [...guide.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1] ?? '', path: m[2] ?? '' }));

  it('shows each walk-through the console tests perform', () => {
    const names = [
      'console-work-list',
      'console-work-list-en',
      'console-task',
      'console-task-validation',
      'console-case-completed',
      'console-breached-search',
      'console-reassigned',
      'console-incident',
      'console-incident-retried',
      'console-audit-verified',
    ];
    expect(images.map((i) => i.path)).toEqual(expect.arrayContaining(names.map((n) => `screenshots/${n}.png`)));
    for (const i of images) expect(i.alt.trim(), i.path).not.toBe('');
  });

  it('references only full-window screenshots that exist', () => {
    for (const i of images) {
      const file = join(docs, i.path);
      expect(existsSync(file), `${i.path}: run FLOWPATH_UPDATE_SCREENSHOTS=1 pnpm exec vitest run --project browser tests/browser/console-`).toBe(true);
      const size = pngSize(file);
      expect(size, i.path).not.toBeNull();
      expect(size!.width, i.path).toBeGreaterThanOrEqual(1280);
      expect(size!.height, i.path).toBeGreaterThanOrEqual(720);
    }
  });
});
