import type { Sla } from '@flowpath/engine';

/** The units an analyst picks from; each maps to an ISO duration (or T+n) and a time mode. */
export type SlaUnit = 'minutes' | 'hours' | 'days' | 'working-hours' | 'working-days' | 't-plus';

export const SLA_UNITS: readonly SlaUnit[] = ['working-hours', 'working-days', 'hours', 'days', 'minutes', 't-plus'];

export interface SlaAmount {
  amount: number;
  unit: SlaUnit;
}

/** Writes an amount and unit as the engine's duration text and mode. */
export function toDuration({ amount, unit }: SlaAmount): { duration: string; mode?: 'calendar' | 'working' } {
  switch (unit) {
    case 'minutes':
      return { duration: `PT${amount}M`, mode: 'calendar' };
    case 'hours':
      return { duration: `PT${amount}H`, mode: 'calendar' };
    case 'days':
      return { duration: `P${amount}D`, mode: 'calendar' };
    case 'working-hours':
      return { duration: `PT${amount}H`, mode: 'working' };
    case 'working-days':
      return { duration: `P${amount}D`, mode: 'working' };
    case 't-plus':
      return { duration: `T+${amount}` };
  }
}

/**
 * Reads a duration back into an amount and unit; null when it uses a form the simple editor
 * cannot show (e.g. `P1DT4H`), in which case the text is edited directly.
 */
export function fromDuration(duration: string, mode: 'calendar' | 'working' | undefined): SlaAmount | null {
  const working = mode === 'working';
  let m = /^T\+(\d+)$/.exec(duration);
  if (m) return { amount: Number(m[1]), unit: 't-plus' };
  m = /^PT(\d+(?:\.\d+)?)H$/.exec(duration);
  if (m) return { amount: Number(m[1]), unit: working ? 'working-hours' : 'hours' };
  m = /^PT(\d+(?:\.\d+)?)M$/.exec(duration);
  if (m && !working) return { amount: Number(m[1]), unit: 'minutes' };
  m = /^P(\d+)D$/.exec(duration);
  if (m) return { amount: Number(m[1]), unit: working ? 'working-days' : 'days' };
  return null;
}

/** Keys of the short unit labels used on SLA badges. */
export const SLA_BADGE_KEYS = {
  minutes: 'sla.badge.minutes',
  hours: 'sla.badge.hours',
  days: 'sla.badge.days',
  'working-hours': 'sla.badge.working-hours',
  'working-days': 'sla.badge.working-days',
  't-plus': 'sla.badge.t-plus',
} as const;

/** The SLA's amount and unit for a badge, or the raw duration text. */
export function slaBadge(sla: Sla): SlaAmount | string {
  return fromDuration(sla.duration, sla.mode) ?? sla.duration;
}
