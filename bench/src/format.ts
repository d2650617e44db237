/** Number formatting shared by the console lines and the report. */
import type { RunResult } from './run-types';

/** A rate with a sensible number of digits: 12 345/s, 123/s, 12.3/s. */
export function fmtRate(perSecond: number): string {
  if (perSecond >= 1000) return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
  if (perSecond >= 100) return `${perSecond.toFixed(0)}/s`;
  return `${perSecond.toFixed(1)}/s`;
}

/** A ratio as the report shows it: `253×` or `64 %`. */
export function fmtRatio(r: number, unit: RunResult['unit']): string {
  if (unit === '%') return `${(r * 100).toFixed(0)} %`;
  return r >= 100 ? `${r.toFixed(0)}×` : `${r.toFixed(1)}×`;
}

/** The ratio as the BENCH line prints it: a plain number (times, or a fraction for `%`). */
export function benchNumber(r: number, unit: RunResult['unit']): string {
  if (unit === '%') return r.toFixed(3);
  return r >= 100 ? r.toFixed(0) : r.toFixed(2);
}

/** The target as the BENCH line prints it. */
export function benchTarget(t: number): string {
  return `>=${t}`;
}

/** min – max of per-round ratios. */
export function spread(xs: readonly number[], unit: RunResult['unit']): string {
  return `${fmtRatio(Math.min(...xs), unit)} – ${fmtRatio(Math.max(...xs), unit)} (${xs.length} rounds)`;
}

/** Milliseconds with two significant decimals below 10 ms. */
export function fmtMs(ms: number): string {
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}
