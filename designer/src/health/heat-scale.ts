/**
 * The canvas heatmap's colour scale: each node's value of the chosen figure (waiting time, SLA
 * breach rate, rule hit rate) on a green → amber → red ramp. Rates use a fixed 0–100 % domain
 * so that two periods look alike for the same figure; waiting times scale to the slowest node.
 */
import type { NodeHealth } from './types';

export type HeatMetric = 'waiting' | 'breach' | 'hits';

export const HEAT_METRICS: readonly HeatMetric[] = ['waiting', 'breach', 'hits'];

/** Colour of a node without a figure (not a task, no SLA, no gate, or no data in the period). */
export const NO_DATA_COLOUR = '#e0e0e0';

const RAMP: readonly [number, number, number][] = [
  [46, 125, 50], // green
  [249, 168, 37], // amber
  [198, 40, 40], // red
];

/** A node's value for a heat metric: median waiting time (working ms), breach rate or hit rate; null when it has none. */
export function heatValue(node: NodeHealth, metric: HeatMetric): number | null {
  switch (metric) {
    case 'waiting':
      return node.queue.working.n > 0 ? node.queue.working.p50 : null;
    case 'breach':
      return node.breachRate;
    case 'hits':
      return node.hitRate;
  }
}

export interface HeatScale {
  metric: HeatMetric;
  /** Domain of the ramp: [min, max]. */
  domain: [number, number];
  /** Colour of a value (null = no data). */
  colour(value: number | null): string;
  /** Five evenly spaced legend stops, low to high. */
  stops: { value: number; colour: string }[];
}

const hex = (n: number) => Math.round(n).toString(16).padStart(2, '0');

/** A point 0..1 on the ramp as a #rrggbb colour. */
export function rampColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const lo = RAMP[i] as [number, number, number];
  const hi = RAMP[i + 1] as [number, number, number];
  return `#${hex(lo[0] + (hi[0] - lo[0]) * f)}${hex(lo[1] + (hi[1] - lo[1]) * f)}${hex(lo[2] + (hi[2] - lo[2]) * f)}`;
}

/** The scale for a metric over the given values (waiting: 0 to the largest value; rates: 0 to 1). */
export function heatScale(metric: HeatMetric, values: readonly (number | null)[]): HeatScale {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = metric === 'waiting' ? Math.max(0, ...present) : 1;
  const domain: [number, number] = [0, max];
  const colour = (value: number | null): string => {
    if (value === null || !Number.isFinite(value)) return NO_DATA_COLOUR;
    return rampColour(max > 0 ? value / max : 0);
  };
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => ({ value: t * max, colour: rampColour(t) }));
  return { metric, domain, colour, stops };
}

/** Text colour that stays readable on a heat colour. */
export function inkOn(background: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!m) return '#000';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h as string, 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1a1a1a' : '#ffffff';
}
