/**
 * `flowpath simulate`: runs months of realistic cases of a template through the real engine with
 * a moving clock (engine `generateHistory`) and loads them into the data folder's store, so a new
 * user, the tests and the benchmarks have a history to look at. It refuses a data folder that
 * already holds cases.
 *
 *   flowpath simulate --flow sme-loan [--months 3 | --from DATE --to DATE] [--seed 7]
 *                     [--pilot-branches B01,B02 | --no-pilot] [--rate N] [--data DIR]
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cnMainlandCalendar, HealthError, type BusinessCalendar, type FlowDefinition, type HistorySpec } from '@flowpath/engine';
import {
  DEMO_SPECS,
  demoHistorySpec,
  FlowpathRuntime,
  HistoryLoadError,
  assertNoCases,
  loadFlows,
  loadHistory,
  openSqliteStore,
  readTemplates,
  type LoadedHistory,
} from '@flowpath/runtime-api';
import type { Io } from './cli';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SIMULATE_USAGE = `  flowpath simulate --flow KEY [--months N | --from DATE --to DATE] [--seed N]
                    [--pilot-branches B01,B02 | --no-pilot] [--rate N] [--data DIR]
      Runs a realistic history of a template (default: the 3 months before today) through the
      engine and loads it into the data folder (default FLOWPATH_DATA or .data). Refuses a folder
      that already holds cases. Templates with a demo behaviour: ${Object.keys(DEMO_SPECS).join(', ')}.
`;

interface SimulateArgs {
  flow: string;
  months: number;
  from?: string;
  to?: string;
  seed: number;
  pilotBranches?: string[];
  pilot: boolean;
  rate?: number;
  data?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(argv: string[]): SimulateArgs | string {
  const out: Partial<SimulateArgs> & { pilot: boolean } = { months: 3, seed: 7, pilot: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    const v = (): string => {
      const x = value();
      if (x === undefined || x.startsWith('--')) throw new Error(`${a} needs a value`);
      return x;
    };
    try {
      switch (a) {
        case '--flow':
          out.flow = v();
          break;
        case '--months': {
          const n = Number(v());
          if (!Number.isInteger(n) || n < 1 || n > 24) return '--months takes a whole number of months from 1 to 24';
          out.months = n;
          break;
        }
        case '--from':
        case '--to': {
          const d = v();
          if (!DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) return `${a} takes a date YYYY-MM-DD, not ${d}`;
          if (a === '--from') out.from = d;
          else out.to = d;
          break;
        }
        case '--seed': {
          const n = Number(v());
          if (!Number.isInteger(n) || n < 0 || n > 4294967295) return '--seed takes a whole number from 0 to 4294967295';
          out.seed = n;
          break;
        }
        case '--pilot-branches': {
          const list = v()
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          if (list.length === 0) return '--pilot-branches takes a comma-separated list of branches';
          out.pilotBranches = list;
          break;
        }
        case '--no-pilot':
          out.pilot = false;
          break;
        case '--rate': {
          const n = Number(v());
          if (!(n > 0 && n <= 10000)) return '--rate takes the mean number of new cases per working day (above 0, at most 10000)';
          out.rate = n;
          break;
        }
        case '--data':
          out.data = v();
          break;
        default:
          return `unknown option ${a}`;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!out.flow) return 'name the template to simulate: --flow KEY';
  if ((out.from === undefined) !== (out.to === undefined)) return 'give --from and --to together (or --months)';
  if (out.from !== undefined && out.to !== undefined && out.to <= out.from) return '--to must be after --from';
  if (!out.pilot && out.pilotBranches) return '--no-pilot and --pilot-branches contradict each other';
  return out as SimulateArgs;
}

/** The calendar's local midnight starting `day`. */
function midnight(cal: BusinessCalendar, day: string): string {
  return new Date(Date.parse(`${day}T00:00:00${cal.utcOffset}`)).toISOString();
}

/** Today's local date on the calendar. */
function today(cal: BusinessCalendar, now: Date): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(cal.utcOffset);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(now.getTime() + offset).toISOString().slice(0, 10);
}

function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** The data folder as `pnpm start` finds it: --data, else FLOWPATH_DATA, else <repo>/.data; relative to where the user ran the command. */
function dataFolder(arg: string | undefined): string {
  const given = arg ?? process.env.FLOWPATH_DATA;
  if (!given) return join(REPO_ROOT, '.data');
  return isAbsolute(given) ? given : resolve(process.env.INIT_CWD ?? process.cwd(), given);
}

/** Runs `flowpath simulate`; returns the exit code. */
export async function simulateCommand(argv: string[], io: Io, now: Date = new Date()): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    io.err(`flowpath simulate: ${args}\n\nUsage:\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (process.env.FLOWPATH_DATABASE_URL) {
    io.err('flowpath simulate: loads into the SQLite data folder only; unset FLOWPATH_DATABASE_URL (PostgreSQL is not supported yet)\n');
    return 2;
  }
  const templates = readTemplates(join(REPO_ROOT, 'process-templates'));
  const template = templates.find((t) => t.key === args.flow);
  if (!template) {
    io.err(`flowpath simulate: there is no template ${args.flow} in process-templates (there are: ${templates.map((t) => t.key).join(', ')})\n`);
    return 2;
  }
  const demo = DEMO_SPECS[args.flow];
  if (!demo) {
    io.err(`flowpath simulate: no demo behaviour is written for ${args.flow} yet; templates with one: ${Object.keys(DEMO_SPECS).join(', ')}\n`);
    return 2;
  }
  const cal = cnMainlandCalendar;
  const toDay = args.to ?? today(cal, now);
  const fromDay = args.from ?? monthsBefore(toDay, args.months);
  const from = midnight(cal, fromDay);
  const to = midnight(cal, toDay);
  if (Date.parse(to) > now.getTime()) {
    io.err(`flowpath simulate: the history must end by today (${today(cal, now)}); --to ${toDay} is later\n`);
    return 2;
  }

  const dir = dataFolder(args.data);
  const file = join(dir, 'flowpath.db');
  const fresh = !existsSync(file);
  const store = openSqliteStore(file, { synchronous: 'normal' });
  try {
    const rt = new FlowpathRuntime({ store, clock: { now: () => now } });
    await assertNoCases(rt);
    // A fresh folder gets every template, as `pnpm start` does on first start.
    if ((await store.listFlows()).length === 0) await loadFlows(rt, templates);
    const published = await store.getVersion(args.flow, 1);
    const v1: FlowDefinition = published?.definition ?? template;
    const branches = args.pilotBranches ?? demo.pilotBranches;
    // The pilot starts a third of the way in, so the history has a before and an after.
    const pilotDay = args.pilot ? today(cal, new Date(Date.parse(from) + (Date.parse(to) - Date.parse(from)) / 3)) : undefined;
    const spec: HistorySpec = demoHistorySpec(demo, {
      template: v1,
      from,
      to,
      seed: args.seed,
      calendar: cal,
      ...(pilotDay !== undefined ? { pilot: { branches, from: midnight(cal, pilotDay) } } : {}),
      ...(args.rate !== undefined ? { rate: args.rate } : {}),
    });
    io.out(`Simulating ${args.flow} from ${fromDay} to ${toDay} (seed ${args.seed})${args.pilot ? `, pilot version 2 at ${branches.join(', ')} from ${pilotDay}` : ''} into ${dir}${fresh ? ' (new)' : ''}\n`);
    const loaded: LoadedHistory = await loadHistory(rt, { spec, progress: (n) => (n % 1000 === 0 ? io.out(`  ${n} cases…\n`) : undefined) });
    io.out(
      `Loaded ${loaded.cases} cases (${Object.entries(loaded.byVersion)
        .map(([v, n]) => `${n} on version ${v}`)
        .join(', ')}); ${loaded.open} still open with ${loaded.openTasks} tasks and ${loaded.timers} timers.\n` +
        `Start the server (pnpm start${args.data ? ` with FLOWPATH_DATA=${args.data}` : ''}) and look at:\n` +
        `  GET /api/flows/${args.flow}/health?groupBy=version\n` +
        `  GET /api/flows/${args.flow}/health/nodes\n` +
        (args.pilot ? `  GET /api/flows/${args.flow}/health/compare?by=version&a=1&b=2&from=${pilotDay}\n` : ''),
    );
    return 0;
  } catch (e) {
    if (e instanceof HistoryLoadError || e instanceof HealthError) {
      io.err(`flowpath simulate: ${e.message} (${e.code})\n`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}
