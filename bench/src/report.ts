/** Writes docs/benchmarks.md from one run's results. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { benchTarget, fmtRatio } from './format';
import type { Machine } from './machine';
import type { RunResult } from './run-types';

export interface ReportInput {
  results: RunResult[];
  machine: Machine;
  quick: boolean;
  startedAt: Date;
  seconds: number;
  command: string;
  /** Each result's number in the full table (1-based); defaults to its position. */
  numbers?: number[];
}

function targetText(r: RunResult): string {
  return r.targetText ?? (r.unit === '%' ? `≥ ${(r.target * 100).toFixed(0)} %` : `≥ ${r.target}×`);
}

function resultText(r: RunResult): string {
  if (r.status === 'not-measured') return 'not yet measured';
  if (r.status === 'failed' || r.ratio === undefined) return 'failed to run';
  return fmtRatio(r.ratio, r.unit);
}

function metText(r: RunResult): string {
  if (r.status !== 'measured' || r.ratio === undefined) return '—';
  if (r.ratio >= r.target) return 'yes';
  const short = r.unit === '%' ? `${((r.target - r.ratio) * 100).toFixed(0)} points short` : `${((1 - r.ratio / r.target) * 100).toFixed(0)} % short`;
  return `**no**, ${short}`;
}

/** The one line per run that scripts read. */
export function benchLine(r: RunResult): string {
  const target = r.targetText ? r.targetText : benchTarget(r.target);
  if (r.status === 'measured' && r.ratio !== undefined) {
    const n = r.unit === '%' ? r.ratio.toFixed(3) : r.ratio >= 100 ? r.ratio.toFixed(0) : r.ratio.toFixed(2);
    return `BENCH ${r.name} ${n} (target ${target})`;
  }
  return `BENCH ${r.name} ${r.status === 'failed' ? 'failed' : 'n/a'} (target ${target})`;
}

/** Renders the report as markdown. */
export function renderReport(input: ReportInput): string {
  const { results, machine: m } = input;
  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  lines.push(
    `Written by \`${input.command}\` on ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${input.quick ? 'quick' : 'full'} run, ${Math.round(input.seconds)} s). Do not edit by hand: run it again.`,
  );
  lines.push('');
  lines.push(
    'Every figure is a **ratio** between Flowpath and a baseline measured in the same process, in alternating rounds, seconds apart. Absolute rates on these shared two-core machines move with whatever else is running; the ratio moves much less. The absolute rates are listed only so the ratio can be checked. Method and its reasons: [decision 0020](decisions/0020-benchmark-method.md).',
  );
  lines.push('');
  lines.push('## Results');
  lines.push('');
  lines.push('| # | Run | Result | Target | Met | Figures |');
  lines.push('|---|---|---|---|---|---|');
  results.forEach((r, i) => {
    lines.push(tableRow(r, input.numbers?.[i] ?? i + 1));
  });
  lines.push('');
  lines.push('Machine-readable lines printed by the same run:');
  lines.push('');
  lines.push('```');
  for (const r of results) lines.push(benchLine(r));
  lines.push('```');
  lines.push('');
  lines.push(...machineLines(m));
  lines.push('');
  lines.push('## Reproduce');
  lines.push('');
  lines.push('```sh');
  lines.push('pnpm install');
  lines.push('pnpm bench                 # all runs, full length (writes this file)');
  lines.push('pnpm bench -- --quick      # all runs, shorter windows (prints only)');
  lines.push('pnpm bench -- --long scale # run 4 to 1,000,000 requests, no time budget (decision 0070)');
  lines.push('pnpm bench -- engine       # one run: engine | store | http | scale | designer | pg | health | worklist');
  lines.push('pnpm bench -- --quick --doc engine   # any selection, and write this file');
  lines.push('```');
  lines.push('');
  lines.push('Profiles: add `--cpu-prof` to Node, e.g. `pnpm --filter @flowpath/bench exec node --cpu-prof --import tsx src/main.ts engine`.');
  lines.push('');
  lines.push('## Runs');
  for (const [i, r] of results.entries()) {
    lines.push('');
    lines.push(...section(r, input.numbers?.[i] ?? i + 1));
  }
  lines.push('');
  return lines.join('\n');
}

function tableRow(r: RunResult, n: number): string {
  const figures = r.status === 'measured' ? r.figures.map((f) => `${f.label}: ${f.value}`).join('<br>') : (r.reason ?? '').split('. ')[0];
  return `| ${n} | ${r.title} | ${resultText(r)} | ${targetText(r)} | ${metText(r)} | ${figures} |`;
}

function machineLines(m: Machine): string[] {
  const busy = Math.max(m.loadAtStart, m.loadAtEnd ?? 0) > m.cores;
  return [
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} logical cores`,
    `- Memory: ${m.memoryGiB.toFixed(1)} GiB (${m.freeGiB.toFixed(1)} GiB free at start)`,
    `- OS: ${m.os}; Node ${m.node}`,
    `- Load average (1 min): ${m.loadAtStart.toFixed(2)} at start, ${m.loadAtEnd?.toFixed(2) ?? '?'} at the end${busy ? ' — other work shared the cores during the run; rounds alternate so both sides of a ratio saw it, but the spread per round shows how much it moved' : ''}`,
  ];
}

function section(r: RunResult, n: number): string[] {
  const lines = [`### ${n}. ${r.title}`, ''];
  if (r.status !== 'measured') {
    lines.push(`**${r.status === 'failed' ? 'Failed' : 'Not yet measured'}.** ${r.reason ?? ''}`, '', `Target: ${targetText(r)}.`);
    return lines;
  }
  lines.push(`Result: **${resultText(r)}** (target ${targetText(r)}; met: ${metText(r)}).`);
  for (const note of r.notes) lines.push('', note);
  return lines;
}

/**
 * Updates an existing report with the runs of a partial run: their table rows, BENCH lines and
 * sections are replaced, the others kept, and a line under the title says which rows came from
 * which command, when and on what load.
 */
export function mergeReport(existing: string, input: ReportInput): string {
  let lines = existing.split('\n');
  const numbers = input.numbers ?? input.results.map((_, i) => i + 1);
  input.results.forEach((r, i) => {
    const n = numbers[i] as number;
    const row = lines.findIndex((l) => l.startsWith(`| ${n} | `));
    if (row >= 0) lines[row] = tableRow(r, n);
    else lines.splice(lastIndex(lines, (l) => /^\| \d+ \| /.test(l)) + 1, 0, tableRow(r, n));
    const bench = lines.findIndex((l) => l.startsWith(`BENCH ${r.name} `));
    if (bench >= 0) lines[bench] = benchLine(r);
    else lines.splice(lastIndex(lines, (l) => l.startsWith('BENCH ')) + 1, 0, benchLine(r));
    const start = lines.findIndex((l) => l.startsWith(`### ${n}. `));
    if (start < 0) {
      // A run added since the last full report: its section goes after the last one.
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      lines.push('', ...section(r, n), '');
      return;
    }
    let end = lines.findIndex((l, k) => k > start && (l.startsWith('### ') || l.startsWith('## ')));
    if (end < 0) end = lines.length;
    // Keep the blank line before the next heading (or the file's last newline).
    const tail = lines.slice(end);
    lines = [...lines.slice(0, start), ...section(r, n), '', ...tail];
  });
  // One provenance line per row rewritten, under the title; a row's older line goes.
  const m = input.machine;
  const when = `written by \`${input.command}\` on ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${input.quick ? 'quick' : 'full'} run, ${Math.round(input.seconds)} s, load average ${m.loadAtStart.toFixed(2)} at start and ${m.loadAtEnd?.toFixed(2) ?? '?'} at the end on ${m.cores} cores)`;
  const notes = input.results.map((r, i) => `Row ${numbers[i] as number} (${r.name}) ${when}.`);
  const title = lines.findIndex((l) => l.startsWith('Written by '));
  let at = title + 1;
  while (at < lines.length && (lines[at] === '' || /^Rows? \d/.test(lines[at] as string) || lines[at] === OTHER_ROWS)) at++;
  const kept = lines.slice(title + 1, at).filter((l) => l.startsWith('Row ') && !numbers.some((n) => l.startsWith(`Row ${n} (`)));
  const all = [...kept, ...notes].sort((x, y) => rowOf(x) - rowOf(y));
  lines.splice(title + 1, at - title - 1, '', ...all.flatMap((l) => [l, '']), OTHER_ROWS, '');
  return lines.join('\n');
}

const OTHER_ROWS = 'The other rows are from the run named above.';

function lastIndex(lines: readonly string[], test: (l: string) => boolean): number {
  for (let k = lines.length - 1; k >= 0; k--) if (test(lines[k] as string)) return k;
  throw new Error('the report has no results table; run the full bench to write it anew');
}

function rowOf(note: string): number {
  return Number(/^Row (\d+)/.exec(note)?.[1] ?? 0);
}

/** Writes the report file: anew for a run of everything, else merged into the existing one. */
export function writeReport(path: string, input: ReportInput, partial = false): void {
  writeFileSync(path, partial && existsSync(path) ? mergeReport(readFileSync(path, 'utf8'), input) : renderReport(input));
}
