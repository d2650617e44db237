import type { AuditRecord, CaseField, CaseSchema, FlowDefinition, Scenario, ScenarioStep, Simulator } from '@flowpath/engine';
import type { Mark, Overlay } from '../store/editor-store';

/** Placeholder start data for every field of the case schema, to be edited before a run. */
export function sampleData(schema: CaseSchema): Record<string, unknown> {
  const value = (f: CaseField): unknown => {
    if (f.enum && f.enum.length) return f.enum[0];
    switch (f.type) {
      case 'number':
      case 'integer':
        return f.minimum ?? 0;
      case 'boolean':
        return false;
      case 'object':
        return Object.fromEntries(Object.entries(f.properties ?? {}).map(([k, v]) => [k, value(v)]));
      case 'array':
        return [];
      case 'null':
        return null;
      default:
        return f.format === 'date' ? '2026-01-05' : f.format === 'date-time' ? '2026-01-05T09:00:00+08:00' : '';
    }
  };
  return Object.fromEntries(Object.entries(schema.properties).map(([k, f]) => [k, value(f)]));
}

/** What the canvas shows of a run: nodes passed, nodes waiting now, edges taken. */
export function runOverlay(sim: Pick<Simulator, 'audit' | 'waitingAt'>): Overlay {
  const nodes: Record<string, Mark> = {};
  const edges: Record<string, Mark> = {};
  for (const a of sim.audit) {
    if (a.type === 'node.entered' && a.nodeId) {
      nodes[a.nodeId] = 'visited';
      const via = a.details.via;
      if (typeof via === 'string') edges[via] = 'visited';
    }
  }
  for (const id of sim.waitingAt()) nodes[id] = 'active';
  return { mode: 'run', nodes, edges };
}

export interface RunRecord {
  name: string;
  /** Path of the flow file relative to where the scenario file will be kept. */
  flowPath: string;
  start: { data: Record<string, unknown>; at: string; actor?: string };
  lists: Record<string, unknown[]>;
  /** Connectors answered at once with a fixed result (others are answered by hand). */
  services: Record<string, Record<string, unknown>>;
  steps: ScenarioStep[];
}

/**
 * The run as a `flowpath test` scenario: the same start and steps, and what happened as the
 * expectation, so the scenario replays this run and fails if the flow's behaviour changes.
 */
export function toScenario(run: RunRecord, sim: Pick<Simulator, 'state' | 'path' | 'waitingAt'>, flow: FlowDefinition): Scenario {
  const state = sim.state;
  const visited = [...new Set(sim.path)];
  const expect: Scenario['expect'] = {};
  if (state) {
    expect.status = state.status;
    if (state.outcome !== undefined) expect.outcome = state.outcome;
    expect.visited = visited;
    const notVisited = flow.nodes.map((n) => n.id).filter((id) => !visited.includes(id));
    if (notVisited.length) expect.notVisited = notVisited;
    if (state.status === 'waiting') expect.waitingAt = sim.waitingAt();
    if (state.flags.length) expect.flags = [...new Set(state.flags.map((f) => f.code))];
    if (state.breaches.length) expect.slaBreached = [...state.breaches];
  }
  return {
    name: run.name,
    flow: run.flowPath,
    start: { data: run.start.data, at: run.start.at, ...(run.start.actor ? { actor: run.start.actor } : {}) },
    ...(Object.keys(run.lists).length ? { lists: run.lists } : {}),
    ...(Object.keys(run.services).length ? { services: run.services } : {}),
    steps: run.steps,
    expect,
  };
}

/** Audit types that explain a decision rather than just record movement. */
export function isExplanation(a: AuditRecord): boolean {
  return a.type === 'decision.taken' || a.type === 'gate.evaluated' || a.type === 'data.set';
}
