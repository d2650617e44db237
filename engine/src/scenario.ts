/**
 * Scenarios: case data in, path and outcome expected. The `flowpath test` file format, run
 * through the engine with an in-memory clock.
 */
import type { Actor } from './case';
import type { BusinessCalendar } from './calendar';
import { getPath } from './data-path';
import { same } from './diff';
import type { FlowDefinition } from './model';
import type { ServiceResponder, SimulatorResult } from './simulator';
import { Simulator } from './simulator';

export type ScenarioStep =
  | { complete: string; data?: Record<string, unknown>; actor?: string; expectRejected?: string }
  | { message: string; data?: Record<string, unknown>; expectRejected?: string }
  | { advance: string }
  | { serviceResult: string; data?: Record<string, unknown>; expectRejected?: string }
  | { serviceError: string; error?: { code: string; message: string }; expectRejected?: string }
  | { retryIncident: string; expectRejected?: string }
  | { cancel: true; reason?: string };

export interface ScenarioExpect {
  status?: 'waiting' | 'completed' | 'terminated' | 'cancelled';
  outcome?: string;
  visited?: string[];
  notVisited?: string[];
  /** Exactly the nodes where the case waits (any order). */
  waitingAt?: string[];
  /** Flag codes the case must carry. */
  flags?: string[];
  /** Nodes (or `case`) whose time limit must have been breached. */
  slaBreached?: string[];
  /** Visit counts per node (2 = one rework loop). */
  visits?: Record<string, number>;
  /** Case data values by dotted path. */
  data?: Record<string, unknown>;
  priority?: number;
  /** Queue of the open task at a node (after escalations). */
  taskQueues?: Record<string, string>;
  /** Names of events the case emitted (compliance.alert, sla.breached...). */
  events?: string[];
}

export interface Scenario {
  name: string;
  /** Path of the flow file, relative to the scenario file. */
  flow: string;
  description?: string;
  start: { data: Record<string, unknown>; at?: string; actor?: string };
  lists?: Record<string, unknown[]>;
  services?: Record<string, Record<string, unknown>>;
  steps?: ScenarioStep[];
  expect: ScenarioExpect;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  failures: string[];
  status?: string;
  outcome?: string;
  path: string[];
  waitingAt: string[];
}

export interface RunScenarioOptions {
  flows?: Record<string, FlowDefinition>;
  calendar?: BusinessCalendar;
  services?: Record<string, ServiceResponder>;
}

/** Runs a scenario against a flow and compares what happened with what it expects. */
export function runScenario(scenario: Scenario, flow: FlowDefinition, options: RunScenarioOptions = {}): ScenarioResult {
  const sim = new Simulator(flow, {
    ...(options.flows ? { flows: options.flows } : {}),
    ...(options.calendar ? { calendar: options.calendar } : {}),
    ...(scenario.lists ? { lists: scenario.lists } : {}),
    services: { ...(options.services ?? {}), ...(scenario.services ?? {}) },
  });
  const failures: string[] = [];
  const actor = (id?: string): Actor | undefined => (id ? { id } : undefined);
  const started = sim.start(scenario.start.data, scenario.start.at, actor(scenario.start.actor));
  if (!started.ok) failures.push(`start was rejected: ${describe(started)}`);

  (scenario.steps ?? []).forEach((s, i) => {
    if (!started.ok) return;
    const label = `step ${i + 1} (${Object.keys(s)[0]} ${String(Object.values(s)[0])})`;
    let r: SimulatorResult;
    if ('complete' in s) r = sim.completeTask(s.complete, s.data ?? {}, actor(s.actor));
    else if ('message' in s) r = sim.message(s.message, s.data ?? {});
    else if ('advance' in s) r = sim.advance(s.advance);
    else if ('serviceResult' in s) r = sim.serviceResult(s.serviceResult, s.data ?? {});
    else if ('serviceError' in s) r = sim.serviceError(s.serviceError, s.error ?? { code: 'connector.failed', message: 'failed in scenario' });
    else if ('retryIncident' in s) r = sim.retryIncident(s.retryIncident);
    else if ('cancel' in s) r = sim.cancel(s.reason);
    else {
      failures.push(`${label}: unknown step`);
      return;
    }
    const expected = 'expectRejected' in s ? s.expectRejected : undefined;
    if (expected !== undefined) {
      if (r.ok) failures.push(`${label}: expected rejection ${expected}, but it was accepted`);
      else if (r.rejected.code !== expected) failures.push(`${label}: expected rejection ${expected}, got ${r.rejected.code}`);
    } else if (!r.ok) {
      failures.push(`${label}: rejected ${describe(r)}`);
    }
  });

  const state = sim.state;
  const e = scenario.expect;
  const visited = new Set(sim.path);
  const waiting = sim.waitingAt();
  if (state) {
    if (e.status !== undefined && state.status !== e.status) failures.push(`status: expected ${e.status}, got ${state.status}`);
    if (e.outcome !== undefined && state.outcome !== e.outcome) failures.push(`outcome: expected ${e.outcome}, got ${state.outcome ?? '(none)'}`);
    for (const n of e.visited ?? []) if (!visited.has(n)) failures.push(`visited: ${n} was not visited`);
    for (const n of e.notVisited ?? []) if (visited.has(n)) failures.push(`notVisited: ${n} was visited`);
    if (e.waitingAt !== undefined && !sameSet(e.waitingAt, waiting)) failures.push(`waitingAt: expected [${e.waitingAt.join(', ')}], got [${waiting.join(', ')}]`);
    const flags = state.flags.map((f) => f.code);
    for (const f of e.flags ?? []) if (!flags.includes(f)) failures.push(`flags: ${f} not raised (raised: [${flags.join(', ')}])`);
    for (const b of e.slaBreached ?? []) if (!state.breaches.includes(b)) failures.push(`slaBreached: ${b} not breached (breached: [${state.breaches.join(', ')}])`);
    for (const [n, count] of Object.entries(e.visits ?? {})) {
      const got = state.visits[n] ?? 0;
      if (got !== count) failures.push(`visits: ${n} expected ${count}, got ${got}`);
    }
    for (const [p, v] of Object.entries(e.data ?? {})) {
      const got = getPath(state.data, p);
      if (!same(got, v)) failures.push(`data: ${p} expected ${JSON.stringify(v)}, got ${JSON.stringify(got)}`);
    }
    if (e.priority !== undefined && state.priority !== e.priority) failures.push(`priority: expected ${e.priority}, got ${state.priority}`);
    for (const [n, q] of Object.entries(e.taskQueues ?? {})) {
      const t = sim.findTask(n);
      if (!t) failures.push(`taskQueues: no open task at ${n}`);
      else if (t.queue !== q) failures.push(`taskQueues: ${n} expected queue ${q}, got ${t.queue}`);
    }
    const events = sim.events.map((x) => (x.type === 'event.emit' ? x.name : `notify:${x.type === 'notify' ? x.to : ''}`));
    for (const name of e.events ?? []) if (!events.includes(name)) failures.push(`events: ${name} not emitted`);
  }
  return {
    name: scenario.name,
    passed: failures.length === 0,
    failures,
    ...(state ? { status: state.status } : {}),
    ...(state?.outcome ? { outcome: state.outcome } : {}),
    path: sim.path,
    waitingAt: waiting,
  };
}

function describe(r: SimulatorResult): string {
  if (r.ok) return 'ok';
  const issues = (r.rejected.params.issues as { code: string; path: string }[] | undefined) ?? [];
  const detail = issues.length ? ` [${issues.map((i) => `${i.code} at ${i.path}`).join('; ')}]` : '';
  return `${r.rejected.code}${detail}`;
}

function sameSet(a: string[], b: string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
