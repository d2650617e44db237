import { describe, expect, it } from 'vitest';
import consoleEn from './console.en.json';
import consoleZhCN from './console.zh-CN.json';
import designerEn from './en.json';
import designerZhCN from './zh-CN.json';

// The console's texts live in their own files and are loaded under `console.`.
const en = { ...designerEn, console: consoleEn };
const zhCN = { ...designerZhCN, console: consoleZhCN };

type Tree = { [k: string]: string | Tree };

/** Dotted keys of a catalogue, with plural suffixes folded into the base key. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

function values(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : values(v)));
}

const base = (k: string) => k.replace(/_(one|other)$/, '');

/** The designer's source text, read by Vite at test time (no file-system access needed). */
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.test.tsx'], { query: '?raw', import: 'default', eager: true });

describe('UI catalogues', () => {
  const enKeys = new Set(keys(en as Tree).map(base));
  const zhKeys = new Set(keys(zhCN as Tree).map(base));

  it('have the same keys in Chinese and English', () => {
    // given both catalogues
    // then neither has a key the other lacks
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('have no empty texts', () => {
    // given both catalogues
    // then every text says something
    expect(values(en as Tree).filter((v) => v.trim() === '')).toEqual([]);
    expect(values(zhCN as Tree).filter((v) => v.trim() === '')).toEqual([]);
  });

  it('hold every literal key the code asks for', () => {
    // given every t('…') with a literal key in the designer's source
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.!=<>+-]*)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    // then each exists in the catalogue (a missing one would show its raw key to the user)
    expect([...used].filter((k) => !enKeys.has(k))).toEqual([]);
  });
});
