/**
 * Crash: the real server process is killed with SIGKILL at seeded random moments while
 * concurrent clients start cases, complete tasks and send messages; after every restart on the
 * same data folder nothing acknowledged is lost or doubled, every case agrees with itself, every
 * audit chain verifies and every Idempotency-Key replays its original answer.
 * Replay a failing run with FLOWPATH_SEED=<seed printed below>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '@flowpath/runtime-api';
import { ChildServer } from './support/child-server';
import { prepareCrashFlows, runCrashScenario } from './support/crash-load';
import { reliabilityKeys } from './support/flows';
import { Api } from './support/http';
import { runSeed } from './support/rng';

const keys = reliabilityKeys();
let srv: ChildServer;
let api: Api;

beforeAll(async () => {
  srv = new ChildServer({ keys });
  api = new Api(() => srv.url, keys);
  await srv.start();
  await prepareCrashFlows(api);
}, 120_000);

afterAll(async () => {
  await srv.dispose();
});

describe('SIGKILL under load', () => {
  test('nothing acknowledged is lost or doubled; cases, tasks, timers and audit agree; keys replay', async () => {
    const seed = runSeed('crash');
    const report = await runCrashScenario(srv, api, { seed, clients: 6, kills: 5, gapMs: [700, 2500], downMs: [0, 300] });
    process.stdout.write(
      `[crash] seed ${seed}: ${report.requests} requests (${report.answered} answered, ${report.cutOff} cut off by a kill, ${report.refused} refused while down), ` +
        `${report.writes} writes (${report.acknowledged} acknowledged, ${report.recoveredByReplay} answered by replay after a lost answer), ` +
        `${report.kills} kills, ${report.casesChecked} cases checked, ${(report.durationMs / 1000).toFixed(1)} s\n`,
    );
    expect(report.violations, `seed ${seed}`).toEqual([]);
    // The run must have exercised what it claims to: kills under load, many writes, answers cut off.
    expect(report.kills).toBeGreaterThanOrEqual(6);
    expect(report.acknowledged).toBeGreaterThan(50);
    expect(report.cutOff).toBeGreaterThan(0);
    expect(report.casesChecked).toBeGreaterThan(20);
  }, 240_000);

  test('the server runs its store with synchronous=FULL unless told otherwise, so an acknowledged write survives a power cut', async () => {
    expect(srv.banner).toContain('sync=full');
    // A data file opened as the server opens it, by default: every acknowledged write is synced.
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-sync-'));
    try {
      const store = openSqliteStore(join(dir, 'flowpath.db'));
      expect(store.synchronous).toBe('full');
      await store.close();
      const relaxed = openSqliteStore(join(dir, 'flowpath.db'), { synchronous: 'normal' });
      expect(relaxed.synchronous).toBe('normal');
      await relaxed.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
