import { describe, expect, it } from 'vitest';
import { heatScale, heatValue, inkOn, NO_DATA_COLOUR, rampColour } from './heat-scale';
import { node } from './test-fixtures';

const H = 3_600_000;

describe('heatmap colour scale', () => {
  it('runs from green through amber to red', () => {
    expect(rampColour(0)).toBe('#2e7d32');
    expect(rampColour(0.5)).toBe('#f9a825');
    expect(rampColour(1)).toBe('#c62828');
    // out-of-range values are clamped, not extrapolated into other colours
    expect(rampColour(-1)).toBe('#2e7d32');
    expect(rampColour(3)).toBe('#c62828');
  });

  it('scales waiting time from zero to the slowest step', () => {
    // given steps waiting a median of 1, 2 and 4 working hours, and one without tasks
    const scale = heatScale('waiting', [1 * H, 2 * H, 4 * H, null]);
    // then the slowest is red, half of it amber, and the step without tasks grey
    expect(scale.domain).toEqual([0, 4 * H]);
    expect(scale.colour(4 * H)).toBe('#c62828');
    expect(scale.colour(2 * H)).toBe('#f9a825');
    expect(scale.colour(null)).toBe(NO_DATA_COLOUR);
    expect(scale.stops.map((s) => s.value)).toEqual([0, 1 * H, 2 * H, 3 * H, 4 * H]);
  });

  it('keeps rates on a fixed 0–100 % scale so periods compare at a glance', () => {
    // given breach rates that are all low
    const scale = heatScale('breach', [0.05, 0.1]);
    // then 10 % is still mostly green, not red because it is the largest
    expect(scale.domain).toEqual([0, 1]);
    expect(scale.colour(0.1)).not.toBe('#c62828');
    expect(scale.colour(1)).toBe('#c62828');
  });

  it('shows every step green when nothing waited rather than dividing by zero', () => {
    const scale = heatScale('waiting', [0, null]);
    expect(scale.colour(0)).toBe('#2e7d32');
  });

  it('reads each figure from a node: median working wait, breach rate, rule hit rate', () => {
    // given a task waiting 2.5 h with 15 of 100 stays breached, and a gate with 9 hits in 108
    const task = node('review', 'user-task', { queueP50: 2.5, breach: [100, 15] });
    const gate = node('gate', 'compliance-gate', { hits: [108, 9] });
    // then
    expect(heatValue(task, 'waiting')).toBe(2.5 * H);
    expect(heatValue(task, 'breach')).toBeCloseTo(0.15);
    expect(heatValue(task, 'hits')).toBeNull();
    expect(heatValue(gate, 'waiting')).toBeNull();
    expect(heatValue(gate, 'hits')).toBeCloseTo(9 / 108);
  });

  it('writes dark text on light colours and white on dark ones', () => {
    expect(inkOn('#f9a825')).toBe('#1a1a1a');
    expect(inkOn('#c62828')).toBe('#ffffff');
    expect(inkOn(NO_DATA_COLOUR)).toBe('#1a1a1a');
  });
});
