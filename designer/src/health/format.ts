/** Number formats of the health screens, in the UI language. */
import type { Lang } from '../i18n';

const HOUR = 3_600_000;

/** Milliseconds as hours (for chart axes), two decimals; null stays null. */
export function toHours(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : Math.round((ms / HOUR) * 100) / 100;
}

/**
 * A duration for people to read: minutes below an hour, hours below two days, else days. Working
 * time is never shown in days, because a "day" of working time (8 h) reads like a calendar day.
 */
export function formatDuration(ms: number | null | undefined, lang: Lang, mode: 'calendar' | 'working' = 'calendar'): string {
  if (ms === null || ms === undefined) return '–';
  const zh = lang === 'zh-CN';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs < HOUR) return `${sign}${Math.round(abs / 60_000)}${zh ? ' 分钟' : ' min'}`;
  if (abs < 48 * HOUR || mode === 'working') return `${sign}${(abs / HOUR).toFixed(1)}${zh ? ' 小时' : ' h'}`;
  return `${sign}${(abs / (24 * HOUR)).toFixed(1)}${zh ? ' 天' : ' d'}`;
}

/** A share 0..1 as a percentage with one decimal; null as a dash. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`;
}

/** A difference of shares (percentage points), signed. */
export function formatPoints(diff: number | null | undefined, lang: Lang): string {
  if (diff === null || diff === undefined) return '–';
  const v = (diff * 100).toFixed(1);
  return `${diff > 0 ? '+' : diff < 0 ? '−' : ''}${v.replace('-', '')}${lang === 'zh-CN' ? ' 个百分点' : ' pp'}`;
}

/** A signed duration difference. */
export function formatSignedDuration(ms: number | null | undefined, lang: Lang, mode: 'calendar' | 'working'): string {
  if (ms === null || ms === undefined) return '–';
  return `${ms > 0 ? '+' : ''}${formatDuration(ms, lang, mode)}`;
}

/** An integer with thousands separators. */
export function formatCount(n: number | null | undefined, lang: Lang): string {
  return n === null || n === undefined ? '–' : n.toLocaleString(lang);
}
