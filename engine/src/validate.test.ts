import { describe, expect, it } from 'vitest';
import { loanFlow } from './fixtures/loan-flow';
import { formatIssue } from './messages';
import type { FlowDefinition, Issue, Node } from './model';
import { validateFlow } from './validate';

const t = (s: string) => ({ en: s, 'zh-CN': s });

function errors(flow: unknown, ctx = {}): Issue[] {
  return validateFlow(flow, ctx).filter((i) => i.severity === 'error');
}

function mutate(fn: (f: FlowDefinition) => void): FlowDefinition {
  const f = loanFlow();
  fn(f);
  return f;
}

function node<K extends Node['kind']>(f: FlowDefinition, id: string): Extract<Node, { kind: K }> {
  return f.nodes.find((n) => n.id === id) as Extract<Node, { kind: K }>;
}

describe('validateFlow', () => {
  it('accepts the realistic loan flow without issues', () => {
    expect(validateFlow(loanFlow())).toEqual([]);
  });

  it('reports every problem at once, not just the first', () => {
    const f = mutate((f) => {
      f.edges = f.edges.filter((e) => e.id !== 'e18'); // decide loses its default
      f.nodes.push({ id: 'orphan', kind: 'set-data', name: t('x'), assignments: [{ field: 'tier', value: 1 }] });
    });
    const codes = errors(f).map((i) => i.code);
    expect(codes).toContain('decision.default.missing');
    expect(codes).toContain('node.unreachable');
    expect(codes).toContain('node.outgoing.missing'); // the orphan has no exit
  });

  const cases: [string, (f: FlowDefinition) => void, Partial<Issue>][] = [
    ['duplicate node id', (f) => f.nodes.push({ ...(f.nodes[1] as Node) }), { code: 'node.id.duplicate', path: '/nodes/15/id', nodeId: 'ocr' }],
    ['duplicate edge id', (f) => f.edges.push({ id: 'e1', source: 'auto', target: 'decide' }), { code: 'edge.id.duplicate', path: '/edges/18/id' }],
    ['edge to nothing', (f) => ((f.edges[0] as { target: string }).target = 'ghost'), { code: 'edge.target.missing', path: '/edges/0/target', edgeId: 'e1', params: { node: 'ghost' } }],
    ['edge from nothing', (f) => ((f.edges[1] as { source: string }).source = 'ghost'), { code: 'edge.source.missing', path: '/edges/1/source' }],
    ['no start', (f) => (f.nodes = f.nodes.filter((n) => n.kind !== 'start')), { code: 'flow.start.missing' }],
    ['two starts', (f) => f.nodes.push({ id: 's2', kind: 'start', name: t('s2') }), { code: 'flow.start.multiple', nodeId: 's2' }],
    ['no end', (f) => (f.nodes = f.nodes.filter((n) => n.kind !== 'end')), { code: 'flow.end.missing' }],
    ['unknown kind', (f) => f.nodes.push({ id: 'q', kind: 'quantum', name: t('q') } as unknown as Node), { code: 'node.kind.unknown', path: '/nodes/15/kind', params: { kind: 'quantum' } }],
    ['unknown kind version', (f) => ((f.nodes[0] as Node).kindVersion = 7), { code: 'node.kind-version.unknown', path: '/nodes/0/kindVersion' }],
    ['decision without default', (f) => (f.edges = f.edges.filter((e) => e.id !== 'e8')), { code: 'decision.default.missing', nodeId: 'route' }],
    ['decision with two defaults', (f) => ((f.edges[6] as { default?: boolean }).default = true), { code: 'decision.default.multiple' }],
    ['decision edge with no condition', (f) => delete (f.edges[5] as { condition?: unknown }).condition, { code: 'decision.condition.missing', edgeId: 'e6' }],
    ['condition on a plain edge', (f) => ((f.edges[0] as { condition?: unknown }).condition = true), { code: 'edge.condition.unexpected', path: '/edges/0/condition' }],
    ['task with two exits', (f) => f.edges.push({ id: 'ex', source: 'review', target: 'end-rejected' }), { code: 'node.outgoing.multiple', nodeId: 'review' }],
    ['end with an exit', (f) => f.edges.push({ id: 'ex', source: 'end-approved', target: 'end-rejected' }), { code: 'node.outgoing.unexpected', nodeId: 'end-approved' }],
    ['port a kind does not have', (f) => f.edges.push({ id: 'ex', source: 'review', target: 'end-rejected', port: 'timeout' }), { code: 'edge.port.invalid', path: '/edges/18/port' }],
    ['require-step without extra exit', (f) => (f.edges = f.edges.filter((e) => e.id !== 'e4')), { code: 'gate.extra.missing', nodeId: 'gate' }],
    ['rule with an unknown operation', (f) => ((f.edges[5] as { condition: unknown }).condition = { launch: [1] }), { code: 'rule.operation.unknown', path: '/edges/5/condition/launch', edgeId: 'e6', params: { operation: 'launch' } }],
    ['rule over a field the schema lacks', (f) => ((f.edges[6] as { condition: unknown }).condition = { '>': [{ var: 'loanAmount' }, 1] }), { code: 'rule.var.unknown', edgeId: 'e7' }],
    ['rule reaching for the prototype', (f) => ((f.edges[6] as { condition: unknown }).condition = { var: 'constructor' }), { code: 'rule.var.forbidden' }],
    ['SLA that does not parse', (f) => (node<'user-task'>(f, 'review').sla = { duration: 'four hours' }), { code: 'sla.duration.invalid', path: '/nodes/6/sla/duration', nodeId: 'review' }],
    ['form field not in the case schema', (f) => node<'user-task'>(f, 'review').form!.fields.push({ key: 'nope', label: t('n'), type: 'string' }), { code: 'data.field.unknown', path: '/nodes/6/form/fields/1/key' }],
    ['set-data of an unknown field', (f) => (node<'set-data'>(f, 'auto').assignments[0]!.field = 'ghost'), { code: 'data.field.unknown', path: '/nodes/5/assignments/0/field' }],
    ['wait with no trigger', (f) => f.nodes.push({ id: 'w', kind: 'wait', name: t('w') }), { code: 'wait.trigger.missing', nodeId: 'w' }],
    ['schema: node without a name', (f) => delete (f.nodes[1] as { name?: unknown }).name, { code: 'schema.required', path: '/nodes/1/name', nodeId: 'ocr' }],
    ['schema: setting a kind does not have', (f) => ((f.nodes[6] as unknown as Record<string, unknown>).connector = 'ocr'), { code: 'schema.additionalProperties', path: '/nodes/6/connector' }],
    ['schema: user task without queue', (f) => delete (f.nodes[6] as { queue?: string }).queue, { code: 'schema.required', path: '/nodes/6/queue' }],
    ['schema: bad key', (f) => (f.key = 'Bad Key'), { code: 'schema.pattern', path: '/key' }],
  ];

  it.each(cases)('finds: %s', (_label, change, expected) => {
    const issues = validateFlow(mutate(change));
    expect(issues).toContainEqual(expect.objectContaining(expected));
  });

  it('finds a loop with no way out', () => {
    const f = mutate((f) => {
      f.nodes.push({ id: 'l1', kind: 'set-data', name: t('l1'), assignments: [{ field: 'tier', value: 'a' }] });
      f.nodes.push({ id: 'l2', kind: 'set-data', name: t('l2'), assignments: [{ field: 'tier', value: 'b' }] });
      f.edges.push({ id: 'x1', source: 'route', target: 'l1', condition: { '==': [{ var: 'tier' }, 'loop'] } });
      f.edges.push({ id: 'x2', source: 'l1', target: 'l2' }, { id: 'x3', source: 'l2', target: 'l1' });
    });
    expect(errors(f)).toContainEqual(expect.objectContaining({ code: 'loop.no-exit', nodeId: 'l1' }));
  });

  it('finds a parallel join fed by an exclusive decision (it would wait forever)', () => {
    const f = mutate((f) => {
      // Route the review and instant paths into the join instead of the split's branches.
      f.edges = f.edges.map((e) => (e.id === 'e9' ? { ...e, target: 'join' } : e.id === 'e10' ? { ...e, target: 'join' } : e));
    });
    const codes = errors(f).map((i) => i.code);
    expect(codes.some((c) => c === 'parallel.join.unmatched' || c === 'parallel.join.branches')).toBe(true);
  });

  it('finds a split whose branches meet at an ordinary step', () => {
    const f = mutate((f) => {
      f.edges = f.edges.map((e) => (e.id === 'e13' ? { ...e, target: 'approve' } : e.id === 'e14' ? { ...e, target: 'approve' } : e));
      f.nodes = f.nodes.filter((n) => n.id !== 'join');
      f.edges = f.edges.filter((e) => e.id !== 'e15');
    });
    expect(validateFlow(f)).toContainEqual(expect.objectContaining({ code: 'parallel.split.unmatched', nodeId: 'split' }));
  });

  it('knows connectors, flows and calendars when the runtime says which exist', () => {
    const f = mutate((f) => (f.calendar = 'mars'));
    const codes = errors(f, { connectors: ['webhook'], calendars: ['cn-mainland'] }).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['service.connector.unknown', 'flow.calendar.unknown']));
  });

  it('survives input that is not a flow at all', () => {
    for (const junk of [null, 42, 'flow', [], { nodes: 'x' }, { nodes: [null], edges: [] }]) {
      const issues = validateFlow(junk);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.severity === 'error' && typeof i.path === 'string')).toBe(true);
    }
  });

  it('has a message in both languages for every code it reports', () => {
    const broken = mutate((f) => {
      f.edges = f.edges.filter((e) => e.id !== 'e8' && e.id !== 'e4');
      node<'user-task'>(f, 'review').sla = { duration: 'soon' };
    });
    for (const issue of validateFlow(broken)) {
      for (const lang of ['en', 'zh-CN'] as const) {
        const msg = formatIssue(issue, lang);
        expect(msg).not.toBe(issue.code);
        expect(msg).not.toMatch(/\{\{/);
      }
    }
  });
});
