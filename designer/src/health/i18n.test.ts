import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

type Tree = { [k: string]: string | Tree };

const keys = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
const base = (k: string) => k.replace(/_(one|other)$/, '');

/** The health screens' source, read by Vite at test time. */
const sources = import.meta.glob<string>(['./*.ts', './*.tsx', '!./*.test.ts', '!./*.test.tsx'], { query: '?raw', import: 'default', eager: true });

describe('health catalogues', () => {
  const enKeys = new Set(keys(en as Tree).map(base));
  const zhKeys = new Set(keys(zhCN as Tree).map(base));

  it('have the same keys in Chinese and English', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('hold every literal key the health screens ask for', () => {
    // given every tr('…') and label('…') with a literal key
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\b(?:tr|label)\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(80);
    // then each exists (a missing one would show its raw key to the user)
    expect([...used].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('hold every key built from a template for actions, verdicts, modes and heat metrics', () => {
    for (const k of ['actions.pass', 'actions.flag', 'actions.require-step', 'actions.stop', 'mode.calendar', 'mode.working', 'heat.metric.waiting', 'heat.metric.breach', 'heat.metric.hits']) expect(enKeys).toContain(k);
    for (const v of ['better', 'worse', 'different', 'not-significant', 'too-few']) expect(enKeys).toContain(`compare.verdicts.${v}`);
    for (const m of ['queue', 'handling', 'time']) expect(enKeys).toContain(`compare.metric.node.${m}`);
  });
});
