/**
 * Health figures as CSV (RFC 4180, UTF-8 with a byte-order mark so that spreadsheet programs read
 * Chinese names correctly). The report is long: one row per figure, `group_by,group,figure,value`,
 * because its shape depends on the flow (nodes, milestones, rules). Per-node figures and
 * comparisons are wide: one row per node or per metric, with fixed columns.
 */
import type { DurationStats, HealthReport, Lang, LocalizedText, RuleHealth } from '@flowpath/engine';
import type { CompareResult } from './service';
import type { NodeFigures } from './views';

/** Byte-order mark: without it spreadsheet programs read UTF-8 as the local code page. */
const BOM = '\uFEFF';

type Cell = string | number | boolean | null | undefined;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
 * start) is prefixed with `'`; numbers are written as numbers.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly Cell[][]): string {
  return `${BOM}${[header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n')}\r\n`;
}

function isLocalized(v: unknown): v is LocalizedText {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as LocalizedText).en === 'string' && Object.keys(v).every((k) => k === 'en' || k === 'zh-CN');
}

/** The key an array element is listed under in a figure path (`nodes.review...`), instead of its index. */
function itemKey(item: unknown, index: number): string {
  if (item === null || typeof item !== 'object') return String(index);
  const o = item as Record<string, unknown>;
  if (typeof o.nodeId === 'string' && typeof o.rule === 'string') return `${o.nodeId}/${o.rule}`;
  for (const k of ['nodeId', 'id', 'actor', 'queue']) if (typeof o[k] === 'string') return o[k] as string;
  return String(index);
}

/** Dotted figure paths and their values, names in the caller's language. */
function flatten(value: unknown, prefix: string, lang: Lang, out: [string, Cell][]): void {
  if (value === null || value === undefined || typeof value !== 'object') {
    out.push([prefix, value as Cell]);
    return;
  }
  if (isLocalized(value)) {
    out.push([prefix, value[lang] ?? value.en]);
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((x) => x === null || typeof x !== 'object')) {
      out.push([prefix, value.join(' ')]);
      return;
    }
    value.forEach((item, i) => flatten(item, `${prefix}.${itemKey(item, i)}`, lang, out));
    return;
  }
  for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, lang, out);
}

/** A health report: `group_by,group,figure,value`, the whole first, then each group. */
export function reportCsv(report: HealthReport, lang: Lang): string {
  const rows: Cell[][] = [];
  const add = (by: string, group: Cell, r: HealthReport) => {
    const { groups: _groups, ...figures } = r;
    const flat: [string, Cell][] = [];
    flatten(figures, '', lang, flat);
    for (const [figure, value] of flat) rows.push([by, group, figure, value]);
  };
  add('', '', report);
  for (const g of report.groups?.groups ?? []) add(report.groups?.by ?? '', g.value === null ? 'null' : g.value, g.report);
  return csv(['group_by', 'group', 'figure', 'value'], rows);
}

const SPANS = ['queue', 'handling', 'time'] as const;
const STATS = ['n', 'p50', 'p90', 'p95', 'mean', 'max'] as const;

function spanColumns(): string[] {
  const out: string[] = [];
  for (const s of SPANS) for (const mode of ['calendar', 'working'] as const) for (const k of STATS) out.push(`${s}_${mode}_${k}_ms`.replace('_n_ms', '_n'));
  return out;
}

function spanCells(d: Record<(typeof SPANS)[number], DurationStats>): Cell[] {
  const out: Cell[] = [];
  for (const s of SPANS) for (const mode of ['calendar', 'working'] as const) for (const k of STATS) out.push(d[s][mode][k]);
  return out;
}

/** Per-node figures: one row per node. */
export function nodesCsv(figures: NodeFigures, lang: Lang): string {
  const header = [
    'node_id', 'name', 'kind', 'cases', 'visits', 'completed', 'unclaimed', ...spanColumns(),
    'sla_decided', 'sla_met', 'sla_breached', 'sla_warned', 'breach_rate', 'escalations', 'rework', 'rework_cases',
    'incidents', 'incident_rate', 'calls', 'failures', 'failure_rate', 'hits', 'hit_rate', 'rules_fired',
  ];
  const rows = figures.nodes.map((n) => [
    n.nodeId, n.name ? (n.name[lang] ?? n.name.en) : '', n.kind, n.cases, n.visits, n.completed, n.unclaimed, ...spanCells(n),
    n.sla.decided, n.sla.met, n.sla.breached, n.sla.warned, n.breachRate, n.escalations, n.rework, n.reworkCases,
    n.incidents, n.incidentRate, n.calls, n.failures, n.failureRate, n.hits, n.hitRate,
    n.rules.map((r: RuleHealth) => `${r.rule}=${r.fired}/${r.evaluated}`).join(' '),
  ]);
  return csv(header, rows);
}

/** A comparison: one row per metric, cohort a then b, then the difference and its interval. */
export function compareCsv(r: CompareResult): string {
  const header = [
    'metric', 'kind', 'mode', 'a', 'a_cases', 'a_n', 'a_median_ms', 'a_mean_ms', 'a_p90_ms', 'a_count', 'a_rate',
    'b', 'b_cases', 'b_n', 'b_median_ms', 'b_mean_ms', 'b_p90_ms', 'b_count', 'b_rate',
    'difference', 'ratio', 'ci_low', 'ci_high', 'p_value', 'significant', 'reason', 'method', 'confidence',
  ];
  const rows = r.metrics.map((m) => {
    const side = (s: typeof m.a): Cell[] =>
      m.kind === 'duration'
        ? [s.cases, s.n, (s as { median: number | null }).median, (s as { mean: number | null }).mean, (s as { p90: number | null }).p90, null, null]
        : [s.cases, s.n, null, null, null, (s as { count: number }).count, (s as { rate: number | null }).rate];
    return [
      m.metric, m.kind, m.kind === 'duration' ? m.mode : '', r.a.label, ...side(m.a), r.b.label, ...side(m.b),
      m.difference, m.kind === 'duration' ? m.ratio : null, m.ci?.[0] ?? null, m.ci?.[1] ?? null, m.kind === 'duration' ? m.pValue : null,
      m.significant, m.reason ?? '', m.method, r.confidence,
    ];
  });
  return csv(header, rows);
}
