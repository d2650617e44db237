import type { CaseSchema } from '@flowpath/engine';
import type { Lang } from '../i18n';
import { getField } from '../model/case-schema';

const SYMBOLS: Record<string, string> = { '==': '=', '===': '=', '!=': '≠', '!==': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const JOINERS: Record<Lang, { and: string; or: string; not: string; in: string; notIn: string; isNull: string; notNull: string }> = {
  'zh-CN': { and: ' 且 ', or: ' 或 ', not: '非 ', in: ' 属于 ', notIn: ' 不属于 ', isNull: ' 为空', notNull: ' 不为空' },
  en: { and: ' and ', or: ' or ', not: 'not ', in: ' in ', notIn: ' not in ', isNull: ' is empty', notNull: ' is not empty' },
};

/**
 * A short human reading of a json-logic rule for edge labels and tooltips
 * ("金额 ≤ 50000 且 客户等级 = vip"), or null when the rule is too unusual to summarise.
 */
export function ruleText(rule: unknown, schema: CaseSchema, lang: Lang, maxLength = 60): string | null {
  const words = JOINERS[lang];
  const label = (path: string) => getField(schema, path)?.title?.[lang] || path;
  const value = (v: unknown): string | null => {
    if (v !== null && typeof v === 'object') {
      if ('var' in v && typeof (v as { var: unknown }).var === 'string') return label((v as { var: string }).var);
      if (Array.isArray(v)) return `[${v.map((x) => value(x) ?? '?').join(', ')}]`;
      return null;
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const walk = (r: unknown, depth: number): string | null => {
    if (depth > 4 || r === null || typeof r !== 'object' || Array.isArray(r)) return typeof r === 'boolean' ? String(r) : null;
    const entries = Object.entries(r);
    if (entries.length !== 1) return null;
    const [op, raw] = entries[0]!;
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === 'and' || op === 'or') {
      const parts = args.map((a) => walk(a, depth + 1));
      if (parts.some((p) => p === null)) return null;
      const text = parts.join(words[op]);
      return depth > 0 && parts.length > 1 ? `(${text})` : text;
    }
    if (op === '!') {
      const inner = walk(args[0], depth + 1);
      return inner === null ? null : `${words.not}${inner}`;
    }
    if (op in SYMBOLS && args.length === 2) {
      const [a, b] = args.map(value);
      if (a === null || b === null) return null;
      if (args[1] === null) return `${a}${op.startsWith('!') ? words.notNull : words.isNull}`;
      return `${a} ${SYMBOLS[op]} ${b}`;
    }
    if ((op === '<' || op === '<=') && args.length === 3) {
      const [lo, x, hi] = args.map(value);
      if (lo === null || x === null || hi === null) return null;
      return `${lo} ${SYMBOLS[op]} ${x} ${SYMBOLS[op]} ${hi}`;
    }
    if (op === 'in' && args.length === 2 && Array.isArray(args[1])) {
      const [a, b] = args.map(value);
      return a === null || b === null ? null : `${a}${words.in}${b}`;
    }
    if (op === 'inList' && args.length === 2) {
      const [list, v] = args;
      const x = value(v);
      return typeof list === 'string' && x !== null ? `${x}${words.in}${list}` : null;
    }
    return null;
  };
  const text = walk(rule, 0);
  if (text === null) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
