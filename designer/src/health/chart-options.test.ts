import { describe, expect, it } from 'vitest';
import { complianceOption, cycleOption, groupOption, milestoneOption, outcomeOption, ratesOption, volumeOption, waitingOption } from './chart-options';
import { report, stats } from './test-fixtures';

// Labels come back as their keys, so the tests see which text each place asks for.
const label = (key: string, params?: Record<string, unknown>) => (params ? `${key}${JSON.stringify(params)}` : key);

type Series = { name?: string; data: unknown[]; yAxisIndex?: number; stack?: string };
const seriesOf = (o: { series?: unknown }) => o.series as Series[];
const categories = (o: { xAxis?: unknown }) => (o.xAxis as { data: string[] }).data;

describe('health chart options', () => {
  it('plots started, completed, cancelled, stopped and open cases as one bar each', () => {
    // given a report of 120 started cases, 12 still open
    const o = volumeOption(report(), label);
    // then the bars are in that order with those counts
    expect(categories(o)).toEqual(['volume.started', 'volume.completed', 'volume.cancelled', 'volume.terminated', 'volume.wip']);
    expect(seriesOf(o)[0]?.data).toEqual([120, 100, 5, 3, 12]);
  });

  it('shows the outcome mix largest first', () => {
    // given 80 approved, 20 rejected, 5 cancelled, 3 stopped
    const o = outcomeOption(report(), label);
    // then the pie has them in that order
    expect(seriesOf(o)[0]?.data).toEqual([
      { name: 'approved', value: 80 },
      { name: 'rejected', value: 20 },
      { name: 'cancelled', value: 5 },
      { name: 'stopped', value: 3 },
    ]);
  });

  it('puts calendar and working cycle time side by side in hours at p50, p90 and p95', () => {
    // given a cycle time of 24/72/96 h calendar and 6/16/20 working hours
    const o = cycleOption(report(), label);
    // then each mode is one series over the three percentiles
    expect(categories(o)).toEqual(['p50', 'p90', 'p95']);
    expect(seriesOf(o).map((s) => [s.name, s.data])).toEqual([
      ['mode.calendar', [24, 72, 96]],
      ['mode.working', [6, 16, 20]],
    ]);
  });

  it('leaves gaps, not zeros, where no case completed', () => {
    // given a report without completed cases
    const r = { ...report(), cycle: stats(0, [0, 0, 0], [0, 0, 0]) };
    // then the bars are empty (null), which ECharts draws as missing rather than as 0 h
    expect(seriesOf(cycleOption(r, label)).map((s) => s.data)).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('plots rates in percent, keeping unknown rates empty', () => {
    // given SLA 75 %, step SLAs 85 %, STP 30 %, rework 16/108 and incidents 2/108
    const r = report();
    r.sla.nodes.attainment = null;
    const o = ratesOption(r, label);
    // then the bars are percentages with one decimal
    expect(seriesOf(o)[0]?.data).toEqual([75, null, 30, 14.8, 1.9]);
  });

  it('shows a milestone attainment in percent and its p90 in working hours on a second axis', () => {
    // given "first review" met by half the cases, p90 8 working hours
    const o = milestoneOption(report(), label, (m) => m.id);
    // then
    expect(categories(o)).toEqual(['first-review']);
    expect(seriesOf(o).map((s) => [s.data, s.yAxisIndex])).toEqual([
      [[50], 0],
      [[8], 1],
    ]);
  });

  it('stacks each rule\'s evaluations by what they did', () => {
    // given a blacklist rule that stopped 3 of 108 cases
    const o = complianceOption(report(), label);
    // then passed and stopped add up to the evaluations
    expect(seriesOf(o).map((s) => [s.name, s.data, s.stack])).toEqual([
      ['compliance.passed', [105], 'rule'],
      ['compliance.flagged', [0], 'rule'],
      ['compliance.requiredStep', [0], 'rule'],
      ['compliance.stopped', [3], 'rule'],
    ]);
  });

  it('charts waiting time only for steps where tasks waited', () => {
    // given one user task with a median wait of 2.5 working hours, a gate and a start
    const o = waitingOption(report(), label, (n) => n.nodeId);
    // then only the task is on the axis
    expect(categories(o)).toEqual(['review']);
    expect(seriesOf(o).map((s) => s.data)).toEqual([[2.5], [5], [0.5]]);
  });

  it('draws groups only for a grouped report, naming the group without a value', () => {
    // given a report without groups
    expect(groupOption(report(), label)).toBeNull();
    // when it is grouped by branch, one group having no branch
    const r = report();
    r.groups = { by: 'branchId', groups: [{ value: 'B01', report: report() }, { value: null, report: { ...report(), volume: { ...report().volume, started: 7 } } }] };
    const o = groupOption(r, label);
    // then each group is a category with its started cases and median working cycle time
    expect(o && categories(o)).toEqual(['B01', 'groups.none']);
    expect(o && seriesOf(o).map((s) => s.data)).toEqual([
      [120, 7],
      [6, 6],
    ]);
  });
});
