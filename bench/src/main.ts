/**
 * `pnpm bench [-- [--quick | --long] [--doc] [--no-doc] [run ...]]`: runs the benchmarks, prints one
 * `BENCH <name> <ratio> (target <t>)` line per run on stdout and, for a full run of everything
 * (or with --doc), writes docs/benchmarks.md. Benchmarks report; they do not pass or fail. The
 * exit code is 1 only when a run could not be carried out at all.
 */
import { fileURLToPath } from 'node:url';
import { describeMachine, loadNow } from './machine';
import { benchLine, writeReport } from './report';
import type { BenchRun, RunContext, RunResult } from './run-types';
import { engineVsBpmn } from './runs/engine-vs-bpmn';
import { httpVsHello } from './runs/http-vs-hello';
import { designer } from './runs/designer';
import { pgProcesses } from './runs/pg-processes';
import { health } from './runs/health';
import { scale } from './runs/scale';
import { storeVsRaw } from './runs/store-vs-raw';
import { worklist } from './runs/worklist';

/** Runs by the short name used on the command line, in report order. */
const RUNS: Record<string, BenchRun> = {
  engine: engineVsBpmn,
  store: storeVsRaw,
  http: httpVsHello,
  scale,
  designer,
  pg: pgProcesses,
  health,
  worklist,
};

const USAGE = `usage: pnpm bench [-- [--quick | --long] [--doc | --no-doc] [${Object.keys(RUNS).join(' | ')} ...]]`;

interface Args {
  quick: boolean;
  long: boolean;
  doc: boolean | undefined;
  selected: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, long: false, doc: undefined, selected: [] };
  for (const a of argv) {
    if (a === '--') continue; // pnpm passes the separator through
    else if (a === '--quick') args.quick = true;
    else if (a === '--long') args.long = true;
    else if (a === '--doc') args.doc = true;
    else if (a === '--no-doc') args.doc = false;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a in RUNS) args.selected.push(a);
    else {
      console.error(`unknown run or option "${a}"\n${USAGE}`);
      process.exit(2);
    }
  }
  if (args.quick && args.long) {
    console.error(`--quick and --long exclude each other\n${USAGE}`);
    process.exit(2);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const names = args.selected.length > 0 ? Object.keys(RUNS).filter((n) => args.selected.includes(n)) : Object.keys(RUNS);
  // The committed report should come from a full run of everything; anything else only prints unless asked.
  const writeDoc = args.doc ?? (!args.quick && args.selected.length === 0);
  const machine = describeMachine();
  const startedAt = new Date();
  const ctx: RunContext = { quick: args.quick, long: args.long, log: (line) => process.stderr.write(`${line}\n`) };
  ctx.log(`bench: ${names.join(', ')} (${args.quick ? 'quick' : args.long ? 'full, long' : 'full'}) on ${machine.cores}× ${machine.cpu}, load ${machine.loadAtStart.toFixed(2)}`);

  const results: RunResult[] = [];
  let broken = false;
  for (const name of names) {
    const run = RUNS[name] as BenchRun;
    const t0 = performance.now();
    let result: RunResult;
    try {
      result = await run.run(ctx);
    } catch (e) {
      broken = true;
      const reason = e instanceof Error ? e.message : String(e);
      ctx.log(`bench: ${run.name} failed: ${e instanceof Error ? (e.stack ?? reason) : reason}`);
      result = { name: run.name, title: run.title, status: 'failed', unit: run.unit, target: run.target, ...(run.targetText ? { targetText: run.targetText } : {}), figures: [], notes: [], reason };
    }
    results.push(result);
    ctx.log(`bench: ${run.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log(benchLine(result));
  }

  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  machine.loadAtEnd = loadNow();
  if (writeDoc) {
    const path = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
    const command = `pnpm bench${args.quick || args.long || args.selected.length > 0 ? ` -- ${[args.quick ? '--quick' : '', args.long ? '--long' : '', args.doc && args.selected.length > 0 ? '--doc' : '', ...args.selected].filter(Boolean).join(' ')}` : ''}`;
    const all = Object.keys(RUNS);
    const numbers = names.map((n) => all.indexOf(n) + 1);
    writeReport(path, { results, machine, quick: args.quick, startedAt, seconds, command, numbers }, names.length < all.length);
    ctx.log(`bench: wrote docs/benchmarks.md`);
  }
  ctx.log(`bench: done in ${seconds.toFixed(0)} s`);
  if (broken) process.exitCode = 1;
}

await main();
