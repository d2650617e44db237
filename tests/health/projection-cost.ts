/**
 * What keeping the process-health projection current costs the case throughput: the same work
 * (start a case, claim its review, complete it: three transactions, as through the API but
 * without HTTP) on two runtimes in one process, one with the projection and one without, each on
 * its own store, taking turns case by case. Both therefore run on the same machine at the same
 * moments: other processes slowing the machine down slow both alike, which alternating whole runs
 * does not achieve on a busy machine.
 *
 *   pnpm exec tsx tests/health/projection-cost.ts [cases] [full|normal|memory]
 *
 * `full` is the store's default (fsync on every commit), `normal` the FLOWPATH_SYNC=normal
 * setting, `memory` an in-memory database: no disk at all, where the projection's CPU cost weighs
 * the most.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowpathRuntime, caseStream, loadFlows, openSqliteStore, type SqliteStore, type StoreTx } from '@flowpath/runtime-api';
import { healthFlow } from './flows';

const cases = Number(process.argv[2] ?? 1000);
const mode = (process.argv[3] ?? 'full') as 'full' | 'normal' | 'memory';

interface Side {
  rt: FlowpathRuntime;
  store: SqliteStore;
  dir: string;
  ms: number;
}

async function side(projection: boolean): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-cost-'));
  const store = openSqliteStore(mode === 'memory' ? ':memory:' : join(dir, 'flowpath.db'), { synchronous: mode === 'full' ? 'full' : 'normal' });
  const rt = new FlowpathRuntime({ store, healthProjection: projection });
  await loadFlows(rt, [healthFlow()]);
  return { rt, store, dir, ms: 0 };
}

/** One case through its three transactions; returns the milliseconds it took. */
async function oneCase({ rt }: Side, i: number): Promise<number> {
  const t0 = performance.now();
  const started = await rt.transact((tx, scope) =>
    rt.startCase(tx, scope, { flowKey: 'health-loan', data: { customerId: `C-${i}`, amount: i % 5 === 0 ? 200000 : 50000, branchId: `B0${i % 4}` }, actor: { id: 'app', roles: ['app'] }, createdBy: 'app' }),
  );
  if (!('record' in started)) throw new Error('start refused');
  const caseId = started.record.id;
  const claim = async (tx: StoreTx) => {
    const [task] = await tx.listCaseTasks(caseId);
    if (!task) throw new Error('no task');
    const at = rt.now();
    await tx.updateTask({ ...task, status: 'claimed', assignee: 'operator', updatedAt: at });
    await rt.audit(tx, caseStream(caseId), [{ at, actor: 'operator', entry: { type: 'task.claimed', at, nodeId: task.nodeId, actor: 'operator', version: 1, details: { taskId: task.engineTaskId, apiTaskId: task.id } } }]);
    return task;
  };
  const task = await rt.transact((tx) => claim(tx));
  await rt.transact(async (tx, scope) => {
    const c = await tx.getCase(caseId);
    const out = await rt.stepCase(tx, scope, c!, { type: 'task.completed', taskId: task.engineTaskId, data: { decision: 'approve' }, actor: { id: 'operator', roles: ['operator'] } }, 'operator');
    if ('rejected' in out) throw new Error('completion refused');
  });
  return performance.now() - t0;
}

const on = await side(true);
const off = await side(false);
try {
  // Warm-up: JIT and file system, not counted.
  for (let i = 0; i < 50; i++) {
    await oneCase(on, -1 - i);
    await oneCase(off, -1 - i);
  }
  for (let i = 0; i < cases; i++) {
    // Take turns, and swap who goes first, so neither always follows the other's commit.
    const order = i % 2 === 0 ? [on, off] : [off, on];
    for (const s of order) s.ms += await oneCase(s, i);
  }
  const last = (await on.store.listCases({}, 1))[0];
  if ((await on.store.getCaseFacts(last!.id))?.status !== 'completed') throw new Error('the projection was not written');
  if ((await off.store.listCaseFacts({ flowKey: 'health-loan' })).length > 0) throw new Error('the projection was written while switched off');
  const rate = (s: Side) => cases / (s.ms / 1000);
  process.stdout.write(
    `store ${mode}, ${cases} cases each (start + claim + complete: 3 transactions), taking turns\n` +
      `  without projection: ${rate(off).toFixed(1)} cases/s\n` +
      `  with projection:    ${rate(on).toFixed(1)} cases/s\n` +
      `  cost: ${((1 - rate(on) / rate(off)) * 100).toFixed(1)} % of the throughput (${(((on.ms - off.ms) / cases / 3) * 1000).toFixed(0)} µs per transaction)\n`,
  );
} finally {
  for (const s of [on, off]) {
    await s.store.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}
