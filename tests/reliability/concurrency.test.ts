/**
 * Races against the real server process: ten operators claiming and completing the same
 * thirty tasks at once (exactly one wins each, the rest get 409), parallel branches completed
 * at the same moment (the join fires once and keeps every branch's data), twelve analysts saving
 * the same draft revision (one wins, the others get 409 and nothing is lost when they merge and
 * save again), owners publishing at once, and the same start or message sent many times at once.
 * tests/api/tasks.test.ts has the single-task race; these are the heavy versions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChildServer } from './support/child-server';
import { ANALYSTS, RACERS, documentsFlow, parallelFlow, publishFlow, reliabilityKeys, reviewFlow } from './support/flows';
import { Api, type Json, type Reply } from './support/http';
import { createRng, runSeed } from './support/rng';

const keys = reliabilityKeys();
let srv: ChildServer;
let api: Api;
const BRANCHES = 5;

beforeAll(async () => {
  srv = new ChildServer({ keys });
  api = new Api(() => srv.url, keys);
  await srv.start();
  await publishFlow(api, reviewFlow());
  await publishFlow(api, documentsFlow());
  await publishFlow(api, parallelFlow(BRANCHES));
}, 120_000);

afterAll(async () => {
  await srv.dispose();
});

const start = async (flow: string, customerId: string, headers: Record<string, string> = {}): Promise<Json> => {
  const r = await api.call('POST', '/api/cases', { as: 'app', body: { flow, data: { customerId } }, headers });
  expect(r.status, r.text).toBe(201);
  return r.body;
};
const statuses = (rs: readonly Reply[]): Record<number, number> => rs.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('operators racing for the same tasks', () => {
  test('each of 30 tasks is claimed by exactly one of 10 operators; the others get 409 naming the winner', async () => {
    const rng = createRng(runSeed('claim race'));
    const cases = await Promise.all(Array.from({ length: 30 }, (_, i) => start('rel-review', `claim-${i}`)));
    const tasks = cases.map((c) => c.tasks[0].id as string);
    const attempts = rng.shuffle(tasks.flatMap((taskId) => RACERS.map((who) => ({ taskId, who }))));
    const replies = await Promise.all(attempts.map(async (a) => ({ ...a, r: await api.call('POST', `/api/tasks/${a.taskId}/claim`, { as: a.who }) })));

    for (const taskId of tasks) {
      const mine = replies.filter((x) => x.taskId === taskId);
      const winners = mine.filter((x) => x.r.status === 200);
      expect(winners, `task ${taskId}: ${JSON.stringify(statuses(mine.map((x) => x.r)))}`).toHaveLength(1);
      const winner = winners[0]?.who;
      for (const loser of mine.filter((x) => x.r.status !== 200)) {
        expect(loser.r.status).toBe(409);
        expect(loser.r.body).toMatchObject({ code: 'task.claimed', assignee: winner });
      }
      const task = await api.get(`/api/tasks/${taskId}`, 'auditor');
      expect(task).toMatchObject({ status: 'claimed', assignee: winner });
    }
    for (const c of cases) {
      const audit: Json[] = await api.all(`/api/cases/${c.id}/audit`, 'auditor');
      expect(audit.filter((e) => e.type === 'task.claimed')).toHaveLength(1);
    }
  }, 120_000);

  test('all 10 operators complete all 30 tasks at once: one completion per task, by its claimant; one case end each', async () => {
    const rng = createRng(runSeed('complete race'));
    const cases = await Promise.all(Array.from({ length: 30 }, (_, i) => start('rel-review', `complete-${i}`)));
    const tasks = cases.map((c) => c.tasks[0].id as string);
    // A third of the tasks are claimed first, so the claimant must be the one who completes.
    const claimed = new Map<string, string>();
    for (const taskId of tasks.slice(0, 10)) {
      const who = rng.pick(RACERS);
      expect((await api.call('POST', `/api/tasks/${taskId}/claim`, { as: who })).status).toBe(200);
      claimed.set(taskId, who);
    }
    const attempts = rng.shuffle(tasks.flatMap((taskId) => RACERS.map((who) => ({ taskId, who }))));
    const replies = await Promise.all(
      attempts.map(async (a) => ({ ...a, r: await api.call('POST', `/api/tasks/${a.taskId}/complete`, { as: a.who, body: { data: { decision: rng.pick(['approve', 'reject']) } } }) })),
    );
    for (const [i, taskId] of tasks.entries()) {
      const mine = replies.filter((x) => x.taskId === taskId);
      const winners = mine.filter((x) => x.r.status === 200);
      expect(winners, `task ${taskId}: ${JSON.stringify(statuses(mine.map((x) => x.r)))}`).toHaveLength(1);
      const winner = winners[0]?.who;
      if (claimed.has(taskId)) expect(winner).toBe(claimed.get(taskId));
      for (const loser of mine.filter((x) => x.r.status !== 200)) {
        expect(loser.r.status, loser.r.text).toBe(409);
        expect(['task.completed', 'task.claimed']).toContain(loser.r.body.code);
      }
      const c = await api.get(`/api/cases/${cases[i].id}`, 'auditor');
      expect(c.status).toBe('completed');
      const audit: Json[] = await api.all(`/api/cases/${cases[i].id}/audit`, 'auditor');
      const types = audit.map((e) => e.type as string);
      expect(types.filter((x) => x === 'task.completed')).toHaveLength(1);
      expect(types.filter((x) => x === 'case.completed')).toHaveLength(1);
      expect(audit.find((e) => e.type === 'task.completed')?.actor).toBe(winner);
    }
  }, 120_000);
});

describe('parallel branches completed at the same moment', () => {
  test(`20 cases × ${BRANCHES} branches completed at once: each join fires once and keeps every branch's data`, async () => {
    const rng = createRng(runSeed('join race'));
    const cases = await Promise.all(Array.from({ length: 20 }, (_, i) => start('rel-parallel', `join-${i}`)));
    for (const c of cases) expect(c.tasks).toHaveLength(BRANCHES);
    const work = rng.shuffle(cases.flatMap((c) => (c.tasks as Json[]).map((t) => ({ caseId: c.id as string, taskId: t.id as string, nodeId: t.nodeId as string }))));
    const replies = await Promise.all(
      work.map(async (w, i) => api.call('POST', `/api/tasks/${w.taskId}/complete`, { as: RACERS[i % RACERS.length] as string, body: { data: { [w.nodeId]: `${w.nodeId} of ${w.caseId}` } } })),
    );
    expect(statuses(replies)).toEqual({ 200: work.length });
    for (const c of cases) {
      const view = await api.get(`/api/cases/${c.id}`, 'auditor');
      expect(view).toMatchObject({ status: 'completed', outcome: 'joined', waitingAt: [], tasks: [] });
      for (let b = 1; b <= BRANCHES; b++) expect(view.data[`b${b}`]).toBe(`b${b} of ${c.id}`);
      const audit: Json[] = await api.all(`/api/cases/${c.id}/audit`, 'auditor');
      const at = (type: string, node: string): number => audit.filter((e) => e.type === type && e.nodeId === node).length;
      expect(at('node.entered', 'join')).toBe(BRANCHES);
      expect(at('node.entered', 'done')).toBe(1);
      expect(audit.filter((e) => e.type === 'case.completed')).toHaveLength(1);
      expect((await api.get(`/api/cases/${c.id}/audit/verify`, 'auditor')).ok).toBe(true);
    }
  }, 120_000);
});

describe('the same write sent many times at once', () => {
  test('20 identical starts with one Idempotency-Key make one case and all get its answer', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => api.call('POST', '/api/cases', { as: 'app', body: { flow: 'rel-review', data: { customerId: 'idem-race' } }, headers: { 'idempotency-key': 'idem-race-1' } })));
    expect(statuses(replies)).toEqual({ 201: 20 });
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await api.all('/api/cases?customerRef=idem-race', 'auditor')).toHaveLength(1);
  });

  test('10 different messages for the one wait: exactly one is taken, the others get 409 and change nothing', async () => {
    const c = await start('rel-documents', 'message-race');
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.call('POST', `/api/cases/${c.id}/messages`, { as: 'app', body: { name: 'documents.received', data: { documentCount: i + 1 } } })),
    );
    expect(statuses(replies)).toEqual({ 200: 1, 409: 9 });
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.code).toBe('message.not-awaited');
    const winner = replies.find((r) => r.status === 200);
    const view = await api.get(`/api/cases/${c.id}`, 'auditor');
    expect(view.data.documentCount).toBe(winner?.body.data.documentCount);
    expect(view.waitingAt).toEqual(['check']);
    const audit: Json[] = await api.all(`/api/cases/${c.id}/audit`, 'auditor');
    expect(audit.filter((e) => e.type === 'message.received')).toHaveLength(1);
    expect(audit.filter((e) => e.type === 'task.opened')).toHaveLength(1);
  });
});

describe('analysts and owners racing on one flow', () => {
  test('12 analysts save the same revision: one wins, 11 get 409 with the current revision; merging and saving again loses nothing', async () => {
    const rng = createRng(runSeed('draft race'));
    const base = documentsFlow('rel-draft-race');
    await publishFlow(api, base);
    const draft = await api.get('/api/flows/rel-draft-race/draft', 'analyst');
    const rev = draft.revision as number;
    // Each analyst adds a tag of their own, starting from the same revision.
    const withTag = (def: Json, who: string): Json => ({ ...def, tags: [...((def.tags as string[] | undefined) ?? []), who] });
    const first = await Promise.all(
      ANALYSTS.map(async (who) => ({ who, r: await api.call('PUT', '/api/flows/rel-draft-race/draft', { as: who, body: { definition: withTag(draft.definition, who) }, headers: { 'if-match': `"${rev}"` } }) })),
    );
    expect(statuses(first.map((x) => x.r))).toEqual({ 200: 1, 409: ANALYSTS.length - 1 });
    for (const x of first.filter((y) => y.r.status === 409)) expect(x.r.body).toMatchObject({ code: 'draft.revision.stale', currentRevision: rev + 1 });

    // The losers reload, merge their change into what is there, and save again (racing each other again).
    await Promise.all(
      first
        .filter((x) => x.r.status === 409)
        .map(async ({ who }) => {
          for (let attempt = 0; attempt < 50; attempt++) {
            const current = await api.get('/api/flows/rel-draft-race/draft', who);
            const r = await api.call('PUT', '/api/flows/rel-draft-race/draft', { as: who, body: { definition: withTag(current.definition, who) }, headers: { 'if-match': `"${current.revision}"` } });
            if (r.status === 200) return;
            expect(r.status, r.text).toBe(409);
            await new Promise((ok) => setTimeout(ok, rng.int(0, 20)));
          }
          throw new Error(`${who} never got to save`);
        }),
    );
    const final = await api.get('/api/flows/rel-draft-race/draft', 'analyst');
    expect([...(final.definition.tags as string[])].sort()).toEqual([...ANALYSTS].sort());
    expect(final.revision).toBe(rev + ANALYSTS.length);
    const audit = await api.get('/api/flows/rel-draft-race/audit', 'auditor');
    expect(audit.items.filter((e: Json) => e.type === 'draft.saved')).toHaveLength(ANALYSTS.length);
  }, 120_000);

  test('8 publishes of one draft at once make exactly one new version', async () => {
    const key = 'rel-publish-race';
    await publishFlow(api, reviewFlow(key));
    const draft = await api.get(`/api/flows/${key}/draft`, 'owner');
    const saved = await api.call('PUT', `/api/flows/${key}/draft`, { as: 'owner', body: { definition: { ...draft.definition, tags: ['v2'] } }, headers: { 'if-match': `"${draft.revision}"` } });
    expect(saved.status).toBe(200);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => api.call('POST', `/api/flows/${key}/versions`, { as: 'owner', body: { note: `attempt ${i}` } })));
    expect(statuses(replies)).toEqual({ 201: 1, 409: 7 });
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.code).toBe('flow.version.unchanged');
    const versions = await api.get(`/api/flows/${key}/versions`, 'auditor');
    expect(versions.items.map((v: Json) => v.version)).toEqual([1, 2]);
  });
});
