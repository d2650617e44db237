/**
 * Side-by-side measurement: a subject and its baseline run in alternating rounds in the same
 * process, and the figure we report is the median of the per-round ratios. Absolute rates on a
 * shared two-core machine move with whatever else runs; a ratio of two rates taken seconds
 * apart moves much less, and alternating the order cancels drift (see docs/decisions/0020).
 */
import { Bench } from 'tinybench';

/** One side of a comparison: a function that does one unit of work and says whether it finished. */
export interface Side {
  label: string;
  /** Does one unit (one case, one lifecycle). Resolves true when the unit reached its end. */
  run: () => boolean | Promise<boolean>;
  async: boolean;
}

export interface RoundSettings {
  rounds: number;
  /** Measured time per side per round, ms. */
  timeMs: number;
  /** Warm-up time per side per round, ms (not measured). */
  warmupMs: number;
  /** Fewest measured units per side per round, whatever the time. */
  minIterations: number;
}

export interface SideStats {
  label: string;
  /** Units per second per round: measured units / sum of their latencies. */
  rates: number[];
  /** Median of `rates`. */
  rate: number;
  /** Units started and units that reached their end, warm-up included. */
  started: number;
  finished: number;
  /** p99 latency of one unit in the last round, ms. */
  p99Ms: number;
}

export interface Comparison {
  subject: SideStats;
  baseline: SideStats;
  /** subject rate / baseline rate, per round. */
  ratios: number[];
  /** Median of `ratios`. */
  ratio: number;
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

interface Counted {
  side: Side;
  started: number;
  finished: number;
  fn: () => unknown;
}

function counted(side: Side): Counted {
  const c: Counted = {
    side,
    started: 0,
    finished: 0,
    fn: side.async
      ? async () => {
          c.started++;
          if (await side.run()) c.finished++;
        }
      : () => {
          c.started++;
          if (side.run()) c.finished++;
        },
  };
  return c;
}

async function measure(c: Counted, s: RoundSettings): Promise<{ rate: number; p99Ms: number }> {
  const bench = new Bench({
    time: s.timeMs,
    iterations: s.minIterations,
    warmupTime: s.warmupMs,
    warmupIterations: Math.max(1, Math.floor(s.minIterations / 4)),
    throws: true,
  });
  bench.add(c.side.label, c.fn, { async: c.side.async });
  await bench.run();
  const task = bench.tasks[0];
  const r = task?.result;
  if (!r || (r.state !== 'completed' && r.state !== 'aborted-with-statistics')) {
    throw new Error(`${c.side.label}: benchmark did not complete (${r?.state ?? 'no task'})`);
  }
  return { rate: 1000 / r.period, p99Ms: r.latency.p99 };
}

/**
 * Measures subject and baseline in alternating rounds (A B, B A, A B, ...) and checks that every
 * unit either side started also reached its end, so a side that silently stops early cannot look fast.
 */
export async function compare(subject: Side, baseline: Side, s: RoundSettings): Promise<Comparison> {
  const a = counted(subject);
  const b = counted(baseline);
  const ratesA: number[] = [];
  const ratesB: number[] = [];
  let p99A = 0;
  let p99B = 0;
  for (let round = 0; round < s.rounds; round++) {
    const order = round % 2 === 0 ? [a, b] : [b, a];
    for (const c of order) {
      const m = await measure(c, s);
      if (c === a) {
        ratesA.push(m.rate);
        p99A = m.p99Ms;
      } else {
        ratesB.push(m.rate);
        p99B = m.p99Ms;
      }
    }
  }
  for (const c of [a, b]) {
    if (c.started === 0 || c.finished !== c.started) {
      throw new Error(`${c.side.label}: ${c.finished} of ${c.started} units reached their end`);
    }
  }
  const ratios = ratesA.map((r, i) => r / (ratesB[i] as number));
  return {
    subject: { label: subject.label, rates: ratesA, rate: median(ratesA), started: a.started, finished: a.finished, p99Ms: p99A },
    baseline: { label: baseline.label, rates: ratesB, rate: median(ratesB), started: b.started, finished: b.finished, p99Ms: p99B },
    ratios,
    ratio: median(ratios),
  };
}
