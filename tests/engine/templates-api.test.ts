/**
 * Every template scenario, run again through the HTTP API against a real server: start the case,
 * claim and complete tasks, send messages, move the clock and let the scheduler fire timers,
 * with connector answers taken from the scenario. The expected results are the same as through
 * the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration, cnMainlandCalendar, getPath, same } from '@flowpath/engine';
import type { FlowDefinition, Scenario, ScenarioStep } from '@flowpath/engine';
import { ConnectorError, defaultConnectors, queuesAndRoles } from '@flowpath/runtime-api';
import type { ApiKey, Connector } from '@flowpath/runtime-api';
import { startServer } from '../helpers/server';
import type { ApiResponse, Json, TestServer } from '../helpers/server';
import { repoRoot } from './paths';

const dir = join(repoRoot, 'process-templates');
const keys = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(dir, d.name)).includes('flow.json'))
  .map((d) => d.name)
  .sort();
const flows = keys.map((k) => JSON.parse(readFileSync(join(dir, k, 'flow.json'), 'utf8')) as FlowDefinition);
const { roles } = queuesAndRoles(flows);
const listNames = [...new Set([...JSON.stringify(flows).matchAll(/"inList":\["([^"]+)"/g)].map((m) => m[1] as string))];
const scenarioFiles = keys.flatMap((k) => readdirSync(join(dir, k, 'scenarios')).filter((f) => f.endsWith('.json')).map((f) => join(dir, k, 'scenarios', f)));
// One operator key per person named in any scenario, so four-eyes rules see different people.
// Steps that name nobody are worked by a rotating pool of different people.
const pool = ['operator-1', 'operator-2', 'operator-3', 'operator-4'];
const actors = new Set<string>(pool);
for (const file of scenarioFiles) {
  const sc = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  for (const st of sc.steps ?? []) if ('complete' in st && st.actor) actors.add(st.actor);
}
const operatorKey = (actor: string) => `op-${actor.replace(/[^A-Za-z0-9-]/g, '-')}`;
const apiKeys: ApiKey[] = [
  { key: 'tpl-admin-0123456789abcdef', name: 'admin', roles: ['admin'] },
  { key: 'tpl-app-0123456789abcdef', name: 'app', roles: ['app'] },
  ...[...actors].map((a) => ({ key: `tpl-${operatorKey(a)}-0123456789abcdef`, name: operatorKey(a), roles: ['operator', ...roles], queues: ['*'] })),
];

/** What the scripted connectors answer next, per case and node: the scenario's own steps. */
interface Script {
  services: Record<string, Record<string, unknown>>;
  pending: { nodeId: string; step: ScenarioStep; used: boolean }[];
}
const scripts = new Map<string, Script>();
let currentScript: Script | undefined;

function scriptedConnectors(): Connector[] {
  const names = new Set<string>(defaultConnectors({ webhookSandbox: true }).map((c) => c.name));
  for (const f of flows) for (const n of f.nodes) if (n.kind === 'service-task') names.add(n.connector);
  return [...names].map((name) => ({
    name,
    description: `scenario-driven ${name}`,
    async handler(_input, ctx) {
      const script = (await scriptFor(ctx.caseId)) ?? currentScript;
      if (!script) throw new ConnectorError('test.no-script', 'no scenario is running');
      const next = script.pending.find((p) => !p.used && p.nodeId === ctx.nodeId);
      if (next) {
        next.used = true;
        if ('serviceError' in next.step) throw new ConnectorError(next.step.error?.code ?? 'connector.failed', next.step.error?.message ?? 'failed in scenario');
        if ('serviceResult' in next.step) return structuredClone(next.step.data ?? {});
      }
      if (name in script.services) return structuredClone(script.services[name] as Record<string, unknown>);
      throw new ConnectorError('test.unscripted', `the scenario does not answer ${name} at ${ctx.nodeId}`);
    },
  }));
}

let server: TestServer;

/** The script of a case, or of the case that started it as a sub-flow. */
async function scriptFor(caseId: string): Promise<Script | undefined> {
  for (let id: string | null | undefined = caseId, depth = 0; id && depth < 10; depth++) {
    const found = scripts.get(id);
    if (found) return found;
    id = (await server.store.getCase(id))?.parentCaseId;
  }
  return undefined;
}
const as = (name: string) => ({ authorization: `Bearer ${(apiKeys.find((k) => k.name === name) as ApiKey).key}` });

async function ok(res: Promise<ApiResponse>, what: string): Promise<Json> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

beforeAll(async () => {
  server = await startServer({ flows, connectors: scriptedConnectors(), apiKeys });
});
afterAll(async () => {
  await server?.close();
});

/** Advances the clock to `until`, stopping at each due timer so steps see the time they fire at. */
async function advanceTo(caseId: string, until: string): Promise<void> {
  for (let guard = 0; guard < 500; guard++) {
    const timers = (await ok(server.request('GET', `/api/cases/${caseId}/timers`, as('admin')), 'timers')) as Json;
    const due = ((timers.items ?? timers) as { dueAt: string; status: string }[])
      .filter((t) => t.status === 'scheduled' && t.dueAt <= until)
      .map((t) => t.dueAt)
      .sort()[0];
    if (!due) break;
    if (due > server.clock.now().toISOString()) server.clock.set(due);
    await server.settle();
  }
  if (until > server.clock.now().toISOString()) server.clock.set(until);
  await server.settle();
}

async function runThroughApi(scenario: Scenario): Promise<string[]> {
  const failures: string[] = [];
  const script: Script = {
    services: scenario.services ?? {},
    pending: (scenario.steps ?? []).flatMap((s): Script['pending'] => {
      if ('serviceResult' in s) return [{ nodeId: s.serviceResult, step: s, used: false }];
      if ('serviceError' in s) return [{ nodeId: s.serviceError, step: s, used: false }];
      return [];
    }),
  };
  // Every list the templates use is reset to what this scenario says (empty when it says nothing).
  for (const name of listNames) {
    const values = scenario.lists?.[name] ?? [];
    await ok(server.request('PUT', `/api/lists/${name}`, { ...as('admin'), body: { kind: 'other', entries: values.map((v) => ({ value: String(v) })) } }), `list ${name}`);
  }
  server.clock.set(scenario.start.at ?? '2026-01-05T01:00:00.000Z');
  currentScript = script;
  const started = await server.request('POST', '/api/cases', { ...as('app'), body: { flow: scenario.flow, data: scenario.start.data } });
  if (started.status !== 201) return [`start: HTTP ${started.status} ${started.text}`];
  const caseId = started.body.id as string;
  scripts.set(caseId, script);
  currentScript = undefined;
  await server.settle();

  let i = 0;
  for (const s of scenario.steps ?? []) {
    i++;
    const label = `step ${i}`;
    const expectRejected = 'expectRejected' in s ? s.expectRejected : undefined;
    let res: ApiResponse | undefined;
    if ('complete' in s) {
      let task: { id: string; nodeId: string } | undefined;
      for (const id of await family(caseId)) {
        const c = await ok(server.request('GET', `/api/cases/${id}`, as('admin')), 'case');
        task ??= (c.tasks as { id: string; nodeId: string }[]).find((t) => t.nodeId === s.complete || t.id === s.complete);
      }
      if (!task) {
        if (expectRejected === undefined) failures.push(`${label}: no open task at ${s.complete}`);
        continue;
      }
      const operator = operatorKey(s.actor ?? (pool[i % pool.length] as string));
      await server.request('POST', `/api/tasks/${task.id}/claim`, as(operator));
      res = await server.request('POST', `/api/tasks/${task.id}/complete`, { ...as(operator), body: { data: s.data ?? {} } });
    } else if ('message' in s) {
      // Like the engine's simulator: a message nobody in the case awaits goes to a running sub-flow.
      for (const id of await family(caseId)) {
        res = await server.request('POST', `/api/cases/${id}/messages`, { ...as('app'), body: { name: s.message, data: s.data ?? {} } });
        if (res.status !== 409 || res.body?.code !== 'message.not-awaited') break;
      }
    } else if ('advance' in s) {
      await advanceTo(caseId, addDuration(cnMainlandCalendar, server.clock.now().toISOString(), s.advance, 'calendar'));
    } else if ('retryIncident' in s) {
      const c = await ok(server.request('GET', `/api/cases/${caseId}`, as('admin')), 'case');
      const inc = (c.incidents as { id: string; nodeId: string }[]).find((x) => x.nodeId === s.retryIncident || x.id === s.retryIncident);
      if (!inc) failures.push(`${label}: no incident at ${s.retryIncident}`);
      else res = await server.request('POST', `/api/cases/${caseId}/incidents/${inc.id}/retry`, as('admin'));
    } else if ('cancel' in s) {
      res = await server.request('POST', `/api/cases/${caseId}/cancel`, { ...as('admin'), body: { reason: s.reason ?? 'scenario' } });
    }
    // serviceResult / serviceError steps were answered by the scripted connectors when called.
    if (res && expectRejected === undefined && res.status >= 300) failures.push(`${label}: HTTP ${res.status} ${res.body?.code ?? res.text}`);
    if (res && expectRejected !== undefined && res.status < 300) failures.push(`${label}: expected a refusal (${expectRejected}), got ${res.status}`);
    await server.settle();
  }

  const c = await ok(server.request('GET', `/api/cases/${caseId}`, as('admin')), 'case');
  const audit = await ok(server.request('GET', `/api/cases/${caseId}/audit?limit=1000`, as('admin')), 'audit');
  const entries = (audit.items ?? audit.entries ?? audit) as { type: string; nodeId?: string; details?: Json }[];
  const visited = new Set(entries.filter((e) => e.type === 'node.entered').map((e) => e.nodeId));
  const e = scenario.expect;
  if (e.status !== undefined && c.status !== e.status) failures.push(`status: expected ${e.status}, got ${c.status}`);
  if (e.outcome !== undefined && c.outcome !== e.outcome) failures.push(`outcome: expected ${e.outcome}, got ${c.outcome}`);
  for (const n of e.visited ?? []) if (!visited.has(n)) failures.push(`visited: ${n}`);
  for (const n of e.notVisited ?? []) if (visited.has(n)) failures.push(`notVisited: ${n}`);
  const waiting = (c.waits as { nodeId: string }[]).map((w) => w.nodeId).sort();
  if (e.waitingAt !== undefined && !same([...e.waitingAt].sort(), waiting)) failures.push(`waitingAt: expected ${e.waitingAt.join(',')}, got ${waiting.join(',')}`);
  const flags = (c.flags as { code: string }[]).map((f) => f.code);
  for (const f of e.flags ?? []) if (!flags.includes(f)) failures.push(`flags: ${f}`);
  for (const b of e.slaBreached ?? []) if (!(c.breaches as string[]).includes(b)) failures.push(`slaBreached: ${b}`);
  for (const [n, count] of Object.entries(e.visits ?? {})) {
    const got = entries.filter((x) => x.type === 'node.entered' && x.nodeId === n).length;
    if (got !== count) failures.push(`visits: ${n} expected ${count}, got ${got}`);
  }
  for (const [p, v] of Object.entries(e.data ?? {})) if (!same(getPath(c.data, p), v)) failures.push(`data: ${p} expected ${JSON.stringify(v)}, got ${JSON.stringify(getPath(c.data, p))}`);
  if (e.priority !== undefined && c.priority !== e.priority) failures.push(`priority: expected ${e.priority}, got ${c.priority}`);
  for (const [n, q] of Object.entries(e.taskQueues ?? {})) {
    const t = (c.tasks as { nodeId: string; queue: string }[]).find((x) => x.nodeId === n);
    if (t?.queue !== q) failures.push(`taskQueues: ${n} expected ${q}, got ${t?.queue}`);
  }
  const verify = await ok(server.request('GET', `/api/cases/${caseId}/audit/verify`, as('admin')), 'verify');
  if (verify.ok !== true) failures.push(`audit chain does not verify: ${JSON.stringify(verify)}`);
  return failures;
}

/** The case and the sub-flow cases it started, parent first. */
async function family(caseId: string): Promise<string[]> {
  const out = [caseId];
  const audit = await ok(server.request('GET', `/api/cases/${caseId}/audit?limit=1000`, as('admin')), 'audit');
  for (const e of (audit.items ?? []) as { type: string; details?: { requestId?: string } }[]) {
    if (e.type !== 'sub-flow.started' || !e.details?.requestId) continue;
    const child = await server.store.findChildCase(caseId, e.details.requestId);
    if (child) out.push(...(await family(child.id)));
  }
  return out;
}

describe.each(keys)('template %s through the API', (key) => {
  const scenarioDir = join(dir, key, 'scenarios');
  const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
  it.each(files)('%s', async (file) => {
    const scenario = JSON.parse(readFileSync(join(scenarioDir, file), 'utf8')) as Scenario;
    const failures = await runThroughApi({ ...scenario, flow: key });
    expect(failures).toEqual([]);
  });
});
