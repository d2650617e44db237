/** Where the runtime gets the time from: the system clock in production, a manual one in tests. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to; tests use it instead of sleeping. */
export interface ManualClock extends Clock {
  /** Jumps to an ISO time or a Date. */
  set(to: string | Date): void;
  /** Moves forward by milliseconds or an ISO 8601 duration of days/hours/minutes/seconds (`PT4H`, `P2D`). */
  advance(by: number | string): void;
}

/** A manual clock starting at `start` (default 2026-03-02T01:00:00Z, a Monday 09:00 in Beijing). */
export function createManualClock(start: string | Date = '2026-03-02T01:00:00.000Z'): ManualClock {
  let current = new Date(start).getTime();
  if (Number.isNaN(current)) throw new Error(`invalid clock start ${String(start)}`);
  return {
    now: () => new Date(current),
    set(to) {
      const t = new Date(to).getTime();
      if (Number.isNaN(t)) throw new Error(`invalid time ${String(to)}`);
      current = t;
    },
    advance(by) {
      current += typeof by === 'number' ? by : durationMs(by);
    },
  };
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a calendar-time ISO 8601 duration made of days, hours, minutes and seconds. */
export function durationMs(duration: string): number {
  const m = DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new Error(`unsupported duration ${duration}`);
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}
