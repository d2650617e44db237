import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { formatIssue, runScenario, validateFlow } from '@flowpath/engine';
import type { FlowDefinition, Issue, Lang, Scenario, ScenarioResult } from '@flowpath/engine';

/** Usage of `flowpath simulate` (kept here so help does not load the store). */
const SIMULATE_USAGE = `  flowpath simulate --flow KEY [--months N | --from DATE --to DATE] [--seed N]
                    [--pilot-branches B01,B02 | --no-pilot] [--rate N] [--data DIR]
      Runs a realistic history of a template (default: the 3 months before today) through the
      engine and loads it into the data folder (default FLOWPATH_DATA or .data). Refuses a folder
      that already holds cases.
`;

/** Usage of `flowpath copy-to-pg` (kept here so help does not load the stores). */
const COPY_USAGE = `  flowpath copy-to-pg [--data DIR] [--batch N]
      Copies the data folder's SQLite file (default FLOWPATH_DATA or .data) into the empty
      PostgreSQL schema named by FLOWPATH_DATABASE_URL and FLOWPATH_PG_SCHEMA, N rows per
      transaction (default 500), then checks row counts and every audit chain. Stop the server first.
`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const USAGE = `Usage:
  flowpath validate FLOW.json... [--json] [--lang zh-CN|en]
      Checks flow definitions. Exit 0 when all are valid, 1 when not.
  flowpath test SCENARIO.json... [--json] [--flows DIR]
      Runs scenarios through the engine with an in-memory clock. Exit 1 on any failure.
      DIR holds other flows (DIR/<key>/flow.json) that sub-flow nodes start.
${SIMULATE_USAGE}${COPY_USAGE}`;

interface Args {
  command: string | undefined;
  files: string[];
  json: boolean;
  lang: Lang;
  flowsDir: string | undefined;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { command: argv[0], files: [], json: false, lang: 'en', flowsDir: undefined };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--lang') {
      const v = argv[++i];
      if (v !== 'en' && v !== 'zh-CN') return `--lang takes zh-CN or en, not ${v ?? '(nothing)'}`;
      args.lang = v;
    } else if (a === '--flows') {
      const v = argv[++i];
      if (!v) return '--flows takes a folder';
      args.flowsDir = v;
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else args.files.push(a);
  }
  return args;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  if (argv.slice(1).some((a) => a === '--help' || a === '-h')) {
    io.out(argv[0] === 'simulate' ? `Usage:\n${SIMULATE_USAGE}` : argv[0] === 'copy-to-pg' ? `Usage:\n${COPY_USAGE}` : USAGE);
    return 0;
  }
  // Loaded only when asked for: it opens the store (SQLite), which validate and test never need.
  if (argv[0] === 'simulate') return (await import('./simulate')).simulateCommand(argv.slice(1), io);
  if (argv[0] === 'copy-to-pg') return (await import('./copy-to-pg')).copyToPgCommand(argv.slice(1), io);
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`${args}\n${USAGE}`);
    return 2;
  }
  if (args.command === 'validate' && args.files.length) return validateCommand(args, io);
  if (args.command === 'test' && args.files.length) return testCommand(args, io);
  if (args.command === 'help' || args.command === '--help' || args.command === undefined) {
    io.out(USAGE);
    return args.command === undefined ? 2 : 0;
  }
  io.err(USAGE);
  return 2;
}

type Loaded = { ok: true; value: unknown } | { ok: false; issue: Issue };

function loadJson(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, issue: { code: 'file.unreadable', severity: 'error', path: '', params: { file, reason: (e as Error).message } } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, issue: { code: 'file.json.invalid', severity: 'error', path: '', params: { file, reason: (e as Error).message } } };
  }
}

function issueMessage(issue: Issue, lang: Lang): string {
  if (issue.code === 'file.unreadable' || issue.code === 'file.json.invalid') return String(issue.params.reason);
  return formatIssue(issue, lang);
}

function validateCommand(args: Args, io: Io): number {
  const results = args.files.map((file) => {
    const loaded = loadJson(file);
    const issues = loaded.ok ? validateFlow(loaded.value) : [loaded.issue];
    return { file, valid: !issues.some((i) => i.severity === 'error'), issues };
  });
  const valid = results.every((r) => r.valid);
  if (args.json) {
    const shape = (r: (typeof results)[number]) => ({
      file: r.file,
      valid: r.valid,
      issues: r.issues.map((i) => ({
        code: i.code,
        severity: i.severity,
        nodeId: i.nodeId ?? null,
        edgeId: i.edgeId ?? null,
        path: i.path,
        params: i.params,
        message: issueMessage(i, args.lang),
      })),
    });
    const out = results.length === 1 ? shape(results[0] as (typeof results)[number]) : { valid, files: results.map(shape) };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const r of results) {
      io.out(`${r.valid ? 'ok  ' : 'FAIL'} ${r.file}\n`);
      for (const i of r.issues) {
        const where = [i.nodeId && `node ${i.nodeId}`, i.edgeId && `edge ${i.edgeId}`].filter(Boolean).join(', ');
        io.out(`  ${i.severity === 'error' ? 'error  ' : 'warning'} ${i.code} at ${i.path || '/'}${where ? ` (${where})` : ''}: ${issueMessage(i, args.lang)}\n`);
      }
    }
  }
  return valid ? 0 : 1;
}

/** Flows found in a folder: DIR/<name>/flow.json and DIR/*.json, by key. */
function loadFlowsDir(dir: string): Record<string, FlowDefinition> {
  const flows: Record<string, FlowDefinition> = {};
  if (!existsSync(dir)) return flows;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const candidate = statSync(p).isDirectory() ? join(p, 'flow.json') : entry.endsWith('.json') ? p : undefined;
    if (!candidate || !existsSync(candidate)) continue;
    const loaded = loadJson(candidate);
    if (loaded.ok && loaded.value && typeof loaded.value === 'object' && typeof (loaded.value as FlowDefinition).key === 'string' && Array.isArray((loaded.value as FlowDefinition).nodes)) {
      const f = loaded.value as FlowDefinition;
      flows[f.key] = f;
    }
  }
  return flows;
}

function testCommand(args: Args, io: Io): number {
  const results: (ScenarioResult & { file: string })[] = [];
  for (const file of args.files) {
    const loaded = loadJson(file);
    const fail = (msg: string) => results.push({ file, name: file, passed: false, failures: [msg], path: [], waitingAt: [] });
    if (!loaded.ok) {
      fail(String(loaded.issue.params.reason));
      continue;
    }
    const scenario = loaded.value as Scenario;
    if (!scenario || typeof scenario !== 'object' || typeof scenario.flow !== 'string' || !scenario.start || !scenario.expect) {
      fail('not a scenario: it needs "name", "flow", "start" and "expect"');
      continue;
    }
    const flowFile = resolve(dirname(file), scenario.flow);
    const flowLoaded = loadJson(flowFile);
    if (!flowLoaded.ok) {
      fail(`flow ${relative(process.cwd(), flowFile)}: ${String(flowLoaded.issue.params.reason)}`);
      continue;
    }
    const issues = validateFlow(flowLoaded.value).filter((i) => i.severity === 'error');
    if (issues.length) {
      fail(`flow ${relative(process.cwd(), flowFile)} is not valid: ${issues.map((i) => `${i.code} at ${i.path}`).join('; ')}`);
      continue;
    }
    const flowsDir = args.flowsDir ?? dirname(dirname(flowFile));
    const flows = loadFlowsDir(flowsDir);
    try {
      results.push({ file, ...runScenario(scenario, flowLoaded.value as FlowDefinition, { flows }) });
    } catch (e) {
      fail(`engine error: ${(e as Error).message}`);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  if (args.json) {
    io.out(`${JSON.stringify({ passed, failed: results.length - passed, scenarios: results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      io.out(`${r.passed ? 'pass' : 'FAIL'} ${r.name} (${r.file})\n`);
      for (const f of r.failures) io.out(`     ${f}\n`);
    }
    io.out(`${passed} passed, ${results.length - passed} failed\n`);
  }
  return passed === results.length ? 0 : 1;
}
