import { describe, expect, it } from 'vitest';
import { loanFlow } from './fixtures/loan-flow';
import type { FlowDefinition, Issue, Node } from './model';
import { validateFlow } from './validate';

/**
 * One broken flow per graph-level issue code, and a check that no code the validator can emit
 * is left without a case here: a new code without a test fails this file.
 */
const t = (s: string) => ({ en: s, 'zh-CN': s });

function mutate(fn: (f: FlowDefinition) => void): FlowDefinition {
  const f = loanFlow();
  fn(f);
  return f;
}
const byId = (f: FlowDefinition, id: string) => f.nodes.find((n) => n.id === id) as Node & Record<string, unknown>;

const cases: Record<string, { flow: FlowDefinition; ctx?: Parameters<typeof validateFlow>[1]; expect: Partial<Issue> }> = {
  'node.id.duplicate': { flow: mutate((f) => f.nodes.push({ ...(f.nodes[1] as Node) })), expect: { nodeId: 'ocr' } },
  'edge.id.duplicate': { flow: mutate((f) => f.edges.push({ id: 'e1', source: 'auto', target: 'decide' })), expect: { path: '/edges/18/id' } },
  'edge.source.missing': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'ghost', target: 'decide' })), expect: { edgeId: 'z' } },
  'edge.target.missing': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'auto', target: 'ghost' })), expect: { edgeId: 'z' } },
  'edge.self-loop': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'review', target: 'review' })), expect: { edgeId: 'z' } },
  'flow.start.missing': { flow: mutate((f) => (f.nodes = f.nodes.filter((n) => n.id !== 'start'))), expect: { path: '/nodes' } },
  'flow.start.multiple': { flow: mutate((f) => f.nodes.push({ id: 's2', kind: 'start', name: t('s') })), expect: { nodeId: 's2' } },
  'flow.end.missing': { flow: mutate((f) => (f.nodes = f.nodes.filter((n) => n.kind !== 'end'))), expect: {} },
  'flow.calendar.unknown': { flow: mutate((f) => (f.calendar = 'mars')), ctx: { calendars: ['cn-mainland'] }, expect: { path: '/calendar' } },
  'node.kind.unknown': { flow: mutate((f) => f.nodes.push({ id: 'q', kind: 'teleport', name: t('q') } as unknown as Node)), expect: { nodeId: 'q' } },
  'node.kind-version.unknown': { flow: mutate((f) => (byId(f, 'review').kindVersion = 9)), expect: { nodeId: 'review' } },
  'node.incoming.missing': { flow: mutate((f) => (f.edges = f.edges.filter((e) => e.id !== 'e5' && e.id !== 'e4'))), expect: { nodeId: 'second-id' } },
  'node.incoming.unexpected': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'auto', target: 'start' })), expect: { nodeId: 'start' } },
  'node.outgoing.missing': { flow: mutate((f) => (f.edges = f.edges.filter((e) => e.id !== 'e9'))), expect: { nodeId: 'auto' } },
  'node.outgoing.multiple': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'auto', target: 'end-rejected' })), expect: { nodeId: 'auto' } },
  'node.outgoing.unexpected': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'end-approved', target: 'decide' })), expect: { nodeId: 'end-approved' } },
  'node.unreachable': { flow: mutate((f) => f.nodes.push({ id: 'lost', kind: 'end', name: t('l'), outcome: 'x' })), expect: { nodeId: 'lost' } },
  'node.end.unreachable': {
    flow: mutate((f) => {
      f.nodes.push({ id: 'sink', kind: 'set-data', name: t('s'), assignments: [{ field: 'tier', value: 1 }] }, { id: 'sink2', kind: 'user-task', name: t('s'), queue: 'q' });
      f.edges.push({ id: 'z1', source: 'route', target: 'sink', condition: false }, { id: 'z2', source: 'sink', target: 'sink2' });
    }),
    expect: { nodeId: 'sink' },
  },
  'loop.no-exit': {
    flow: mutate((f) => {
      f.nodes.push({ id: 'a', kind: 'set-data', name: t('a'), assignments: [{ field: 'tier', value: 1 }] }, { id: 'b', kind: 'set-data', name: t('b'), assignments: [{ field: 'tier', value: 2 }] });
      f.edges.push({ id: 'z1', source: 'route', target: 'a', condition: false }, { id: 'z2', source: 'a', target: 'b' }, { id: 'z3', source: 'b', target: 'a' });
    }),
    expect: { nodeId: 'a' },
  },
  'edge.port.invalid': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'review', target: 'end-rejected', port: 'extra' })), expect: { edgeId: 'z', params: { port: 'extra', kind: 'user-task' } } },
  'edge.port.duplicate': { flow: mutate((f) => f.edges.push({ id: 'z', source: 'gate', target: 'end-rejected', port: 'extra' })), expect: { edgeId: 'z' } },
  'edge.condition.unexpected': { flow: mutate((f) => ((f.edges[0] as { condition?: unknown }).condition = true)), expect: { edgeId: 'e1' } },
  'edge.default.unexpected': { flow: mutate((f) => ((f.edges[0] as { default?: boolean }).default = true)), expect: { edgeId: 'e1' } },
  'decision.default.missing': { flow: mutate((f) => (f.edges = f.edges.filter((e) => e.id !== 'e8'))), expect: { nodeId: 'route' } },
  'decision.default.multiple': { flow: mutate((f) => ((f.edges[16] as { default?: boolean }).default = true)), expect: { nodeId: 'decide' } },
  'decision.condition.missing': { flow: mutate((f) => delete (f.edges[16] as { condition?: unknown }).condition), expect: { edgeId: 'e17' } },
  'decision.default.condition': { flow: mutate((f) => ((f.edges[17] as { condition?: unknown }).condition = true)), expect: { edgeId: 'e18', severity: 'warning' } },
  'form.field.duplicate': { flow: mutate((f) => (byId(f, 'review').form as { fields: unknown[] }).fields.push({ key: 'approved', type: 'boolean', label: t('x') })), expect: { nodeId: 'review' } },
  'form.options.missing': { flow: mutate((f) => (byId(f, 'review').form as { fields: unknown[] }).fields.push({ key: 'tier', type: 'enum', label: t('x') })), expect: { nodeId: 'review' } },
  'form.pattern.invalid': { flow: mutate((f) => (byId(f, 'review').form as { fields: unknown[] }).fields.push({ key: 'tier', type: 'string', label: t('x'), pattern: '([' })), expect: { nodeId: 'review' } },
  'task.four-eyes.node-missing': { flow: mutate((f) => (byId(f, 'approve').notCompletedBy = ['ocr'])), expect: { nodeId: 'approve', path: '/nodes/11/notCompletedBy/0' } },
  'service.connector.unknown': { flow: loanFlow(), ctx: { connectors: ['webhook'] }, expect: { nodeId: 'ocr', path: '/nodes/1/connector' } },
  'gate.rule.duplicate': { flow: mutate((f) => ((byId(f, 'gate').rules as { id: string }[])[1]!.id = 'blacklist')), expect: { nodeId: 'gate' } },
  'gate.extra.missing': { flow: mutate((f) => (f.edges = f.edges.filter((e) => e.id !== 'e4'))), expect: { nodeId: 'gate' } },
  'gate.extra.unused': { flow: mutate((f) => ((byId(f, 'gate').rules as { action: string }[])[2]!.action = 'flag')), expect: { nodeId: 'gate', severity: 'warning' } },
  'wait.trigger.missing': { flow: waitFlow({}), expect: { nodeId: 'w' } },
  'wait.trigger.multiple': { flow: waitFlow({ message: 'm', timer: { duration: 'PT1H' } }), expect: { nodeId: 'w' } },
  'wait.timeout.no-sla': { flow: waitFlow({ message: 'm' }, true), expect: { nodeId: 'w' } },
  'subflow.recursive': { flow: subFlow('test-sme-loan'), expect: { nodeId: 'sub' } },
  'subflow.flow.unknown': { flow: subFlow('kyc'), ctx: { flows: ['aml'] }, expect: { nodeId: 'sub' } },
  'data.field.unknown': { flow: mutate((f) => ((byId(f, 'auto').assignments as { field: string }[])[0]!.field = 'ghost')), expect: { nodeId: 'auto' } },
  'data.field.forbidden': { flow: mutate((f) => ((byId(f, 'ocr').output as Record<string, string>)['__proto__.x'] = 'a')), expect: { nodeId: 'ocr' } },
  'data.required.unknown': { flow: mutate((f) => f.caseSchema.required!.push('ghost')), expect: { path: '/caseSchema/required/2' } },
  'sla.duration.invalid': { flow: mutate((f) => (f.sla = { duration: 'a week' })), expect: { path: '/sla/duration' } },
  'sla.warn.invalid': { flow: mutate((f) => (f.sla = { duration: 'P5D', warnBefore: 'soon' })), expect: { path: '/sla/warnBefore' } },
  'sla.warn.both': { flow: mutate((f) => (f.sla = { duration: 'P5D', warnBefore: 'P1D', warnAt: 0.5 })), expect: { path: '/sla', severity: 'warning' } },
  'milestone.node.missing': { flow: mutate((f) => (f.milestones = [{ id: 'm', name: t('m'), to: 'ghost' }])), expect: { path: '/milestones/0/to' } },
  'parallel.join.unmatched': {
    flow: mutate((f) => {
      f.edges = f.edges.map((e) => (e.id === 'e9' || e.id === 'e10' ? { ...e, target: 'join' } : e));
      f.edges = f.edges.filter((e) => e.id !== 'e13' && e.id !== 'e14');
      f.edges.push({ id: 'r1', source: 'risk', target: 'approve' }, { id: 'r2', source: 'credit', target: 'approve' });
    }),
    expect: { nodeId: 'join' },
  },
  'parallel.join.branches': {
    flow: mutate((f) => {
      // A decision inside one branch sends both of its paths straight into the join.
      f.nodes.push({ id: 'd2', kind: 'decision', name: t('d2') });
      f.edges = f.edges.map((e) => (e.id === 'e13' ? { ...e, target: 'd2' } : e));
      f.edges.push({ id: 'y1', source: 'd2', target: 'join', default: true }, { id: 'y2', source: 'd2', target: 'join', condition: true });
    }),
    expect: { nodeId: 'join' },
  },
  'parallel.split.unmatched': {
    flow: mutate((f) => {
      f.nodes = f.nodes.filter((n) => n.id !== 'join');
      f.edges = f.edges.filter((e) => e.id !== 'e15').map((e) => (e.id === 'e13' || e.id === 'e14' ? { ...e, target: 'approve' } : e));
    }),
    expect: { nodeId: 'split', severity: 'warning' },
  },
};

function waitFlow(config: Record<string, unknown>, timeoutEdge = false): FlowDefinition {
  return mutate((f) => {
    f.nodes.push({ id: 'w', kind: 'wait', name: t('w'), ...config } as Node);
    f.edges = f.edges.map((e) => (e.id === 'e9' ? { ...e, target: 'w' } : e));
    f.edges.push({ id: 'wz', source: 'w', target: 'decide' });
    if (timeoutEdge) f.edges.push({ id: 'wt', source: 'w', target: 'end-rejected', port: 'timeout' });
  });
}

function subFlow(flowKey: string): FlowDefinition {
  return mutate((f) => {
    f.nodes.push({ id: 'sub', kind: 'sub-flow', name: t('sub'), flow: flowKey });
    f.edges = f.edges.map((e) => (e.id === 'e9' ? { ...e, target: 'sub' } : e));
    f.edges.push({ id: 'sz', source: 'sub', target: 'decide' });
  });
}

describe('every graph-level issue code', () => {
  it.each(Object.entries(cases))('%s', (code, c) => {
    const issues = validateFlow(c.flow, c.ctx);
    expect(issues).toContainEqual(expect.objectContaining({ code, ...c.expect }));
  });

  it('has a case for every code the validator source can emit', async () => {
    const sources = import.meta.glob(['./validate.ts', './node-kinds/*.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const emitted = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/code: '([a-z][a-z0-9.-]+)'/g)) emitted.add(m[1] as string);
      for (const m of text.matchAll(/'([a-z]+\.[a-z0-9.-]+)' : '([a-z]+\.[a-z0-9.-]+)'/g)) {
        emitted.add(m[1] as string);
        emitted.add(m[2] as string);
      }
    }
    // Codes that are refusals of step inputs (not validation) are tested in step.test.ts.
    const stepOnly = new Set(['task.four-eyes', 'task.data.invalid', 'decision.no-edge', 'subflow.failed', 'engine.loop-limit', 'node.kind.unknown']);
    expect(emitted.size).toBeGreaterThan(40);
    const missing = [...emitted].filter((c) => !(c in cases) && !stepOnly.has(c));
    expect(missing).toEqual([]);
  });
});
