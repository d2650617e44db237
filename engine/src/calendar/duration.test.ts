import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['PT4H', { kind: 'fixed', weeks: 0, days: 0, timeMs: 4 * 3_600_000, ms: 4 * 3_600_000 }],
    ['PT30M', { kind: 'fixed', weeks: 0, days: 0, timeMs: 1_800_000, ms: 1_800_000 }],
    ['P7D', { kind: 'fixed', weeks: 0, days: 7, timeMs: 0, ms: 7 * 86_400_000 }],
    ['P1DT2H', { kind: 'fixed', weeks: 0, days: 1, timeMs: 7_200_000, ms: 86_400_000 + 7_200_000 }],
    ['P2W', { kind: 'fixed', weeks: 2, days: 0, timeMs: 0, ms: 14 * 86_400_000 }],
    ['PT1.5H', { kind: 'fixed', timeMs: 5_400_000 }],
    ['PT45S', { kind: 'fixed', timeMs: 45_000 }],
    ['P3650D', { kind: 'fixed', days: 3650 }],
    ['T+0', { kind: 't-plus', n: 0 }],
    ['T+1', { kind: 't-plus', n: 1 }],
    ['T+30', { kind: 't-plus', n: 30 }],
  ])('accepts %s', (text, expected) => {
    const r = parseDuration(text);
    expect(r).toMatchObject({ ok: true, value: { ...expected, text } });
  });

  it.each([
    ['P1Y', 'calendar.duration.unit.unsupported'],
    ['P1M', 'calendar.duration.unit.unsupported'],
    ['P1Y2M', 'calendar.duration.unit.unsupported'],
    ['P2W1M', 'calendar.duration.unit.unsupported'],
    ['-PT4H', 'calendar.duration.negative'],
    ['T-1', 'calendar.duration.negative'],
    ['P-1D', 'calendar.duration.invalid'],
    ['', 'calendar.duration.invalid'],
    ['P', 'calendar.duration.invalid'],
    ['PT', 'calendar.duration.invalid'],
    ['P1DT', 'calendar.duration.invalid'],
    ['pt4h', 'calendar.duration.invalid'],
    ['4h', 'calendar.duration.invalid'],
    ['4 hours', 'calendar.duration.invalid'],
    ['PT1.5H30M', 'calendar.duration.invalid'],
    ['P1.5D', 'calendar.duration.invalid'],
    ['PT4H ', 'calendar.duration.invalid'],
    ['T+', 'calendar.duration.invalid'],
    ['T+31', 'calendar.duration.t-plus.range'],
    ['P3651D', 'calendar.duration.too-long'],
    ['PT87601H', 'calendar.duration.too-long'],
    ['P99999999999999999999999D', 'calendar.duration.too-long'],
  ])('refuses %j with %s', (text, code) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.params.value).toBe(text);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('does not throw on values that are not strings', () => {
    for (const v of [undefined, null, 4, {}, []]) {
      expect(parseDuration(v as unknown as string)).toMatchObject({ ok: false, code: 'calendar.duration.invalid' });
    }
  });
});
