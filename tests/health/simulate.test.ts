/**
 * `flowpath simulate` as a user runs it (the real command, in its own process): it loads months
 * of SME-loan cases with a pilot at two branches into a fresh data folder, the health API then
 * finds the pilot's designed effects and no effect where the pilot changed nothing, and it refuses
 * a data folder that already holds cases (leaving it as it was).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readTemplates } from '@flowpath/runtime-api';
import { startServer, type Json, type TestServer } from '../helpers/server';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-simulate-'));
  dirs.push(dir);
  return dir;
}

/** Runs `flowpath simulate` in its own process. */
function simulate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.FLOWPATH_DATABASE_URL;
    execFile(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'cli', 'src', 'main.ts'), 'simulate', ...args], { cwd: repo, env, timeout: 120_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a simulated history with a pilot', () => {
  let dir: string;
  let loaded: { code: number; out: string; err: string };
  let s: TestServer;

  beforeAll(async () => {
    dir = folder();
    loaded = await simulate('--flow', 'sme-loan', '--from', '2026-01-05', '--to', '2026-03-31', '--seed', '11', '--pilot-branches', 'B01,B02', '--data', dir);
    s = await startServer({ dir });
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  test('loads every template, the pilot version and its release policy, and the cases', async () => {
    expect(loaded.err).toBe('');
    expect(loaded.code).toBe(0);
    expect(loaded.out).toMatch(/pilot version 2 at B01, B02 from 2026-02-02/);
    const count = Number(/Loaded (\d+) cases/.exec(loaded.out)?.[1]);
    expect(count).toBeGreaterThan(1000);
    const flows = (await s.request('GET', '/api/flows', { as: 'owner' })).body.items as Json[];
    expect(flows.map((f) => f.key).sort()).toEqual(readTemplates(join(repo, 'process-templates')).map((t) => t.key).sort());
    expect((await s.request('GET', '/api/flows/sme-loan/versions', { as: 'owner' })).body.items.map((v: Json) => v.version)).toEqual([1, 2]);
    const policy = (await s.request('GET', '/api/flows/sme-loan/release-policy', { as: 'owner' })).body;
    expect(policy).toMatchObject({ defaultVersion: 1, pilots: [{ version: 2, when: { in: [{ var: 'branchId' }, ['B01', 'B02']] } }] });
    const health = (await s.request('GET', '/api/flows/sme-loan/health?groupBy=version', { as: 'owner' })).body;
    expect(health.volume.started).toBe(count);
    expect(health.groups.groups.map((g: Json) => g.value)).toEqual([1, 2]);
    // Whitelisted applicants are approved without a human task; some are sent back for documents.
    expect(health.stp.rate).toBeGreaterThan(0.05);
    expect(health.rework.rate).toBeGreaterThan(0.02);
    // The hash chain of every loaded journal holds.
    const some = (await s.request('GET', '/api/cases?flow=sme-loan&limit=3', { as: 'auditor' })).body.items as Json[];
    for (const c of some) expect((await s.request('GET', `/api/cases/${c.id}/audit/verify`, { as: 'auditor' })).body).toMatchObject({ ok: true });
  });

  test('pilot against control: the quicker review is found; a step the pilot did not change shows no effect', async () => {
    const r = (
      await s.request('GET', '/api/flows/sme-loan/health/compare?by=version&a=1&b=2&from=2026-02-02&metrics=node:credit-review:handling:working,rework,node:bureau-check:time,incident', { as: 'owner' })
    ).body;
    const [handling, rework, bureau, incident] = r.metrics;
    expect(r.a.cases).toBeGreaterThan(300);
    expect(r.b.cases).toBeGreaterThan(150);
    // Designed: median handling 30 → 14 working minutes, fewer files sent back.
    expect(handling).toMatchObject({ significant: true });
    expect(handling.difference).toBeLessThan(-10 * 60_000);
    expect(handling.ci[1]).toBeLessThan(0);
    expect(rework).toMatchObject({ significant: true });
    expect(rework.difference).toBeLessThan(0);
    // Not designed: the credit bureau answers the same for both versions.
    expect(bureau.significant).toBe(false);
    expect(incident.significant).toBe(false);
  });

  test('pilot branches against the rest, as the release-policy screen shows it', async () => {
    const r = (await s.request('GET', '/api/flows/sme-loan/health/compare?by=branchId&b=B01,B02&from=2026-02-02&metrics=node:credit-review:handling:working', { as: 'owner' })).body;
    expect(r.a.label).toBe('rest');
    expect(r.metrics[0].significant).toBe(true);
  });

  test('refuses to load a second history into the same folder, and changes nothing', async () => {
    const before = (await s.request('GET', '/api/flows/sme-loan/health', { as: 'owner' })).body.volume.started;
    await s.stop();
    const again = await simulate('--flow', 'sme-loan', '--from', '2026-01-05', '--to', '2026-02-02', '--data', dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds cases');
    s = await startServer({ dir });
    expect((await s.request('GET', '/api/flows/sme-loan/health', { as: 'owner' })).body.volume.started).toBe(before);
  }, 120_000);
});

describe('refusals', () => {
  test('a data folder with one real case is refused and left as it was', async () => {
    const dir = folder();
    const s = await startServer({ dir, flows: readTemplates(join(repo, 'process-templates')) });
    const started = await s.request('POST', '/api/cases', {
      as: 'app',
      body: { flow: 'sme-loan', data: { customerId: 'REAL-1', companyId: '91310000RE000001', companyName: 'Real', branchId: 'B01', channel: 'mobile-app', requestedAmount: 100000, termMonths: 12 } },
    });
    expect(started.status).toBe(201);
    await s.stop();
    const r = await simulate('--flow', 'sme-loan', '--months', '1', '--data', dir);
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toContain('flowpath simulate: the data folder already holds cases');
    const after = await startServer({ dir });
    try {
      expect((await after.request('GET', '/api/cases', { as: 'auditor' })).body.items).toHaveLength(1);
      expect((await after.request('GET', '/api/flows/sme-loan/versions', { as: 'owner' })).body.items).toHaveLength(1);
    } finally {
      await after.stop();
    }
  }, 120_000);

  test('bad arguments exit 2 with the reason', async () => {
    const dir = folder();
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const cases = [
      [['--months', '3'], 'name the template to simulate'],
      [['--flow', 'no-such-flow'], 'there is no template no-such-flow'],
      [['--flow', 'sme-loan', '--months', '0'], '--months takes a whole number'],
      [['--flow', 'sme-loan', '--from', '2026-01-05'], 'give --from and --to together'],
      [['--flow', 'sme-loan', '--from', '2026-01-05', '--to', tomorrow], 'the history must end by today'],
      [['--flow', 'sme-loan', '--no-pilot', '--pilot-branches', 'B01'], 'contradict'],
      [['--flow', 'sme-loan', '--speed', '9'], 'unknown option --speed'],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => simulate(...args, '--data', dir)));
    cases.forEach(([args, reason], i) => {
      expect({ args, code: results[i]!.code }).toEqual({ args, code: 2 });
      expect(results[i]!.err).toContain(reason);
    });
  }, 120_000);
});

test('pnpm start tells how to load a demo history into a folder of its own', async () => {
  const dir = folder();
  const child = spawn(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'runtime-api', 'src', 'main.ts')], {
    cwd: repo,
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: dir, FLOWPATH_LOG_LEVEL: 'silent', FLOWPATH_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 60_000);
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('FLOWPATH_DATA=.data-demo pnpm start')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
    });
    expect(banner).toContain('pnpm flowpath simulate --flow sme-loan --months 3 --data .data-demo');
    expect(banner).toContain('--flow can also be: enterprise-account-opening, personal-account-kyc, complaint-handling, consumer-loan, counter-service');
  } finally {
    child.kill('SIGTERM');
  }
}, 90_000);
