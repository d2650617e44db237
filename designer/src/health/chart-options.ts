/**
 * Health figures → ECharts options. Pure functions, so what a chart shows is tested without a
 * browser; the screen only hands the option to the chart. Durations are plotted in hours, rates
 * in percent. `label` turns a catalogue key into the UI language's text.
 */
import type { EChartsOption } from 'echarts';
import type { DimValue } from '@flowpath/engine';
import { toHours } from './format';
import type { HealthReport } from './types';

export type Label = (key: string, params?: Record<string, unknown>) => string;

const pct = (rate: number | null): number | null => (rate === null ? null : Math.round(rate * 1000) / 10);

const COLOURS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#c62828', '#5d4037', '#546e7a'];

const base = (title: string): EChartsOption => ({
  color: COLOURS,
  title: { text: title, left: 0, textStyle: { fontSize: 14 } },
  tooltip: { trigger: 'axis' },
  grid: { left: 56, right: 16, top: 48, bottom: 40, containLabel: true },
  animation: false,
});

/** Started, completed, cancelled, terminated and open cases. */
export function volumeOption(report: HealthReport, label: Label): EChartsOption {
  const v = report.volume;
  const names = ['started', 'completed', 'cancelled', 'terminated', 'wip'] as const;
  const values = [v.started, v.completed, v.cancelled, v.terminated, v.wip.count];
  return {
    ...base(label('charts.volume')),
    xAxis: { type: 'category', data: names.map((n) => label(`volume.${n}`)) },
    yAxis: { type: 'value', name: label('units.cases'), minInterval: 1 },
    series: [{ type: 'bar', name: label('units.cases'), data: values, label: { show: true, position: 'top' } }],
  };
}

/** The ended cases by outcome. */
export function outcomeOption(report: HealthReport, label: Label): EChartsOption {
  const data = Object.entries(report.volume.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => ({ name, value }));
  return {
    color: COLOURS,
    title: { text: label('charts.outcomes'), left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0 },
    animation: false,
    series: [{ type: 'pie', radius: ['35%', '65%'], data, label: { formatter: '{b}: {c}' } }],
  };
}

/** Cycle time p50 / p90 / p95, calendar against working time, in hours. */
export function cycleOption(report: HealthReport, label: Label): EChartsOption {
  const ps = ['p50', 'p90', 'p95'] as const;
  return {
    ...base(label('charts.cycle')),
    legend: { top: 24, right: 0 },
    xAxis: { type: 'category', data: [...ps] },
    yAxis: { type: 'value', name: label('units.hours') },
    series: (['calendar', 'working'] as const).map((mode) => ({
      type: 'bar' as const,
      name: label(`mode.${mode}`),
      data: ps.map((p) => toHours(report.cycle[mode][p])),
    })),
  };
}

/** Each milestone's attainment of its target (percent), with the median working duration in the tooltip. */
export function milestoneOption(report: HealthReport, label: Label, name: (m: HealthReport['milestones'][number]) => string): EChartsOption {
  const ms = report.milestones;
  return {
    ...base(label('charts.milestones')),
    legend: { top: 24, right: 0 },
    xAxis: { type: 'category', data: ms.map(name) },
    yAxis: [
      { type: 'value', name: '%', max: 100, min: 0 },
      { type: 'value', name: label('units.hours'), position: 'right' },
    ],
    series: [
      { type: 'bar', name: label('figures.attainment'), data: ms.map((m) => pct(m.attainment)), yAxisIndex: 0 },
      { type: 'line', name: label('figures.p90Working'), data: ms.map((m) => toHours(m.duration.working.p90)), yAxisIndex: 1 },
    ],
  };
}

/** SLA attainment (case and nodes), straight-through, rework and incident rates, in percent. */
export function ratesOption(report: HealthReport, label: Label): EChartsOption {
  const rows: [string, number | null][] = [
    ['rates.slaCase', report.sla.case.attainment],
    ['rates.slaNodes', report.sla.nodes.attainment],
    ['rates.stp', report.stp.rate],
    ['rates.rework', report.rework.rate],
    ['rates.incidents', report.incidents.rate],
  ];
  return {
    ...base(label('charts.rates')),
    xAxis: { type: 'category', data: rows.map(([k]) => label(k)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '%', min: 0, max: 100 },
    series: [{ type: 'bar', name: '%', data: rows.map(([, r]) => pct(r)), label: { show: true, position: 'top', formatter: '{c} %' } }],
  };
}

/** Per gate rule: passed, flagged, extra step required, stopped (stacked counts of evaluations). */
export function complianceOption(report: HealthReport, label: Label): EChartsOption {
  const rules = report.compliance.rules;
  const parts = ['passed', 'flagged', 'requiredStep', 'stopped'] as const;
  const colours = { passed: '#2e7d32', flagged: '#f9a825', requiredStep: '#ef6c00', stopped: '#c62828' };
  return {
    ...base(label('charts.compliance')),
    legend: { top: 24, right: 0 },
    xAxis: { type: 'value', name: label('units.evaluations'), minInterval: 1 },
    yAxis: { type: 'category', data: rules.map((r) => r.rule), inverse: true },
    series: parts.map((p) => ({ type: 'bar' as const, stack: 'rule', name: label(`compliance.${p}`), itemStyle: { color: colours[p] }, data: rules.map((r) => r[p]) })),
  };
}

/** Median and p90 waiting time before a task is claimed, per user task (working hours). */
export function waitingOption(report: HealthReport, label: Label, name: (n: HealthReport['nodes'][number]) => string): EChartsOption {
  const tasks = report.nodes.filter((n) => n.queue.working.n > 0);
  return {
    ...base(label('charts.waiting')),
    legend: { top: 24, right: 0 },
    xAxis: { type: 'category', data: tasks.map(name) },
    yAxis: { type: 'value', name: label('units.workingHours') },
    series: [
      { type: 'bar', name: label('figures.waitingP50'), data: tasks.map((n) => toHours(n.queue.working.p50)) },
      { type: 'bar', name: label('figures.waitingP90'), data: tasks.map((n) => toHours(n.queue.working.p90)) },
      { type: 'bar', name: label('figures.handlingP50'), data: tasks.map((n) => toHours(n.handling.working.p50)) },
    ],
  };
}

/** How a group value reads: `null` (no value) gets the catalogue's word for it. */
export function groupName(value: DimValue, label: Label): string {
  return value === null ? label('groups.none') : String(value);
}

/** Per group of a grouped report: cases started and median cycle time (working hours). */
export function groupOption(report: HealthReport, label: Label): EChartsOption | null {
  const groups = report.groups;
  if (!groups) return null;
  return {
    ...base(label('charts.groups', { by: groups.by })),
    legend: { top: 24, right: 0 },
    xAxis: { type: 'category', data: groups.groups.map((g) => groupName(g.value, label)) },
    yAxis: [
      { type: 'value', name: label('units.cases'), minInterval: 1 },
      { type: 'value', name: label('units.workingHours'), position: 'right' },
    ],
    series: [
      { type: 'bar', name: label('volume.started'), data: groups.groups.map((g) => g.report.volume.started), yAxisIndex: 0 },
      { type: 'line', name: label('figures.cycleP50Working'), data: groups.groups.map((g) => toHours(g.report.cycle.working.p50)), yAxisIndex: 1 },
    ],
  };
}
