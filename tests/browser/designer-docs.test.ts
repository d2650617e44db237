/**
 * The analyst's guide shows screenshots the browser tests make. Every image it references must
 * exist as a real screenshot, and no screenshot may be left over that no document shows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../engine/paths';

const docs = join(repoRoot, 'docs');
const shots = join(docs, 'screenshots');

/** Relative image paths of a Markdown file (`![alt](path)`), in order. */
function imagesOf(markdown: string): { alt: string; path: string }[] {
  return [...markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1] ?? '', path: m[2] ?? '' }));
}

/** Width and height from a PNG's IHDR chunk; null when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } | null {
  const b = readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (b.length < 24 || !b.subarray(0, 8).equals(signature) || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("the analyst's guide and its screenshots", () => {
  const guide = readFileSync(join(docs, 'analyst-guide.md'), 'utf8');
  const images = imagesOf(guide);

  it('references the screenshot of every screen it explains', () => {
    expect(images.map((i) => i.path)).toEqual(
      expect.arrayContaining(
        ['sign-in', 'flow-list', 'canvas-sme-loan', 'property-panel', 'rule-builder', 'case-schema', 'problems', 'conflict', 'publish', 'diff', 'test-run', 'release-policy'].map(
          (n) => `screenshots/${n}.png`,
        ),
      ),
    );
    for (const i of images) expect(i.alt.trim(), i.path).not.toBe('');
  });

  it('every image it references is a browser screenshot in docs/screenshots', () => {
    const files = new Set(readdirSync(shots));
    const missing = images.filter((i) => !i.path.startsWith('screenshots/') || !files.has(i.path.slice('screenshots/'.length)));
    expect(missing, 'run FLOWPATH_UPDATE_SCREENSHOTS=1 pnpm exec vitest run --project browser').toEqual([]);
    for (const i of images) {
      const size = pngSize(join(docs, i.path));
      expect(size, i.path).not.toBeNull();
      // A whole browser window, not a thumbnail or an empty file.
      expect(size!.width, i.path).toBeGreaterThanOrEqual(1280);
      expect(size!.height, i.path).toBeGreaterThanOrEqual(720);
    }
  });

  it('no screenshot in docs/screenshots is left unused by the documents', () => {
    const markdown = (readdirSync(docs, { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));
    const referenced = new Set(
      markdown.flatMap((f) =>
        imagesOf(readFileSync(join(docs, f), 'utf8'))
          .map((i) => /(?:^|\/)screenshots\/([^/]+)$/.exec(i.path)?.[1])
          .filter((name): name is string => name !== undefined),
      ),
    );
    const unused = readdirSync(shots).filter((f) => f.endsWith('.png') && !referenced.has(f));
    expect(unused).toEqual([]);
  });
});
