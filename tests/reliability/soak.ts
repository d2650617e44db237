/**
 * The release soak (`pnpm test:soak`): the crash scenario for much longer than CI runs it (more
 * clients, dozens of SIGKILLs), then the whole reliability suite with its fuzz runs ten times
 * longer. Run it before tagging a release; it prints what it did and exits non-zero on the first
 * broken guarantee.
 *
 *   pnpm test:soak                      # about 15 minutes on 2 cores
 *   pnpm test:soak --kills 60 --clients 16 --seed 1234 --factor 20
 *   pnpm test:soak --crash-only         # just the long crash run
 *
 * A failing run prints its seed; rerun with `--seed <seed>` (crash) or FLOWPATH_FUZZ_SEED=<seed>
 * (fuzz) to replay it.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ChildServer, REPO_ROOT } from './support/child-server';
import { prepareCrashFlows, runCrashScenario } from './support/crash-load';
import { reliabilityKeys } from './support/flows';
import { Api } from './support/http';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '40' },
    clients: { type: 'string', default: '12' },
    seed: { type: 'string' },
    factor: { type: 'string', default: '10' },
    'crash-only': { type: 'boolean', default: false },
  },
});

const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer, got ${String(v)}\n`);
    process.exit(2);
  }
  return n;
};

async function crashSoak(): Promise<boolean> {
  const seed = values.seed !== undefined ? positive('seed', values.seed) : Math.floor(Math.random() * 2 ** 31);
  const kills = positive('kills', values.kills);
  const clients = positive('clients', values.clients);
  process.stdout.write(`crash soak: ${clients} clients, ${kills} SIGKILLs, seed ${seed} (replay with --seed ${seed})\n`);
  const keys = reliabilityKeys();
  const srv = new ChildServer({ keys });
  const api = new Api(() => srv.url, keys);
  try {
    await srv.start();
    await prepareCrashFlows(api);
    const report = await runCrashScenario(srv, api, {
      seed,
      clients,
      kills,
      gapMs: [300, 4000],
      downMs: [0, 1500],
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    process.stdout.write(
      `crash soak: ${report.requests} requests (${report.answered} answered, ${report.cutOff} cut off by a kill, ${report.refused} refused while down), ${report.writes} writes ` +
        `(${report.acknowledged} acknowledged, ${report.recoveredByReplay} answered by replay after a lost answer), ${report.kills} kills, ` +
        `${report.casesChecked} cases checked in ${(report.durationMs / 1000).toFixed(0)} s\n`,
    );
    for (const v of report.violations) process.stdout.write(`  VIOLATION ${v}\n`);
    if (report.violations.length > 0) process.stdout.write(`server log tail:\n${srv.logTail()}\n`);
    return report.violations.length === 0;
  } finally {
    await srv.dispose();
  }
}

function suiteSoak(): boolean {
  const factor = positive('factor', values.factor);
  process.stdout.write(`reliability suite with fuzz runs ×${factor}\n`);
  const r = spawnSync('pnpm', ['exec', 'vitest', 'run', 'tests/reliability'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, FLOWPATH_SOAK: String(factor) },
  });
  return r.status === 0;
}

const crashOk = await crashSoak();
const suiteOk = !crashOk || values['crash-only'] ? crashOk : suiteSoak();
process.stdout.write(crashOk && suiteOk ? 'soak passed\n' : 'soak FAILED\n');
process.exit(crashOk && suiteOk ? 0 : 1);
