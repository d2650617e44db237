import { describe, expect, it } from 'vitest';
import type { Edge, FlowDefinition, Node } from './model';
import { createSimulator } from './simulator';
import { validateFlow } from './validate';

const t = (s: string) => ({ en: s, 'zh-CN': s });
const MON = '2026-03-02T01:00:00.000Z'; // Monday 09:00 Shanghai

/** A flow from a chain of nodes between start and end, plus extra nodes and edges. */
function flow(middle: Node[], extraNodes: Node[] = [], extraEdges: Edge[] = [], props: Record<string, object> = {}): FlowDefinition {
  const nodes: Node[] = [{ id: 'start', kind: 'start', name: t('start') }, ...middle, { id: 'end', kind: 'end', name: t('end'), outcome: 'done' }, ...extraNodes];
  const chain = ['start', ...middle.map((n) => n.id), 'end'];
  const edges: Edge[] = chain.slice(1).map((id, i) => ({ id: `c${i}`, source: chain[i] as string, target: id }));
  const f: FlowDefinition = {
    key: 'kinds',
    name: t('kinds'),
    caseSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, out: {}, child: { type: 'string' }, ...props } },
    nodes,
    edges: [...edges, ...extraEdges],
  };
  return f;
}

describe('node kinds', () => {
  it('set-data: assignments run in order and see earlier ones', () => {
    const f = flow([{ id: 'calc', kind: 'set-data', name: t('c'), assignments: [{ field: 'a', value: 2 }, { field: 'b', value: { '*': [{ var: 'a' }, 10] } }] }]);
    expect(validateFlow(f)).toEqual([]);
    const s = createSimulator(f);
    s.start({}, MON);
    expect(s.state?.data).toMatchObject({ a: 2, b: 20 });
    expect(s.audit.find((r) => r.type === 'data.set')?.details).toEqual({ values: { a: 2, b: 20 } });
  });

  it('wait with a timer continues when the time has passed, in working time', () => {
    const f = flow([{ id: 'cool', kind: 'wait', name: t('cooling-off'), timer: { duration: 'PT8H', mode: 'working' } }]);
    expect(validateFlow(f)).toEqual([]);
    const s = createSimulator(f);
    s.start({}, '2026-03-06T01:00:00.000Z'); // Friday 09:00: 8 working hours end Friday 17:00
    s.advance('PT7H59M');
    expect(s.state?.status).toBe('waiting');
    s.advance('PT1M');
    expect(s.state?.status).toBe('completed');
  });

  it('end with terminate ends the other branches and cancels their tasks', () => {
    const f = flow(
      [{ id: 'split', kind: 'parallel-split', name: t('split') }, { id: 'slow', kind: 'user-task', name: t('slow'), queue: 'q' }],
      [{ id: 'kill', kind: 'end', name: t('kill'), outcome: 'withdrawn', terminate: true }, { id: 'fast', kind: 'user-task', name: t('fast'), queue: 'q' }],
      [{ id: 'x1', source: 'split', target: 'fast' }, { id: 'x2', source: 'fast', target: 'kill' }],
    );
    const s = createSimulator(f);
    s.start({}, MON);
    expect(s.tasks.size).toBe(2);
    s.completeTask('fast');
    expect(s.state?.status).toBe('completed');
    expect(s.state?.outcome).toBe('withdrawn');
    expect(s.tasks.size).toBe(0);
  });

  it('compliance gate pass action records the hit without changing the path', () => {
    const f = flow([{ id: 'g', kind: 'compliance-gate', name: t('g'), rules: [{ id: 'vip', name: t('vip'), when: { '>': [{ var: 'a' }, 5] }, action: 'pass' }] }]);
    const s = createSimulator(f);
    s.start({ a: 9 }, MON);
    expect(s.state?.status).toBe('completed');
    expect(s.audit.find((r) => r.type === 'gate.evaluated')?.details).toEqual({ results: [{ rule: 'vip', fired: true, action: 'pass' }], action: 'pass' });
  });

  it('compliance gate fails closed: a rule that cannot be evaluated counts as fired', () => {
    const f = flow([{ id: 'g', kind: 'compliance-gate', name: t('g'), rules: [{ id: 'bomb', name: t('b'), when: { reduce: [{ var: 'out' }, { '+': [{ var: 'accumulator' }, 1] }, 0] }, action: 'stop' }] }]);
    const s = createSimulator(f);
    s.start({ out: Array.from({ length: 200_000 }, (_, i) => i) }, MON);
    expect(s.state?.status).toBe('terminated');
    expect(s.audit.find((r) => r.type === 'gate.evaluated')?.rules?.[0]?.error).toMatch(/rule\.budget\.exceeded/);
  });

  it('service task leaves by its error exit after the last retry when one is drawn', () => {
    const f = flow(
      [{ id: 'svc', kind: 'service-task', name: t('svc'), connector: 'core-banking', output: { out: 'account' } }],
      [{ id: 'manual', kind: 'end', name: t('manual'), outcome: 'manual' }],
      [{ id: 'err', source: 'svc', target: 'manual', port: 'error' }],
    );
    expect(validateFlow(f)).toEqual([]);
    const s = createSimulator(f);
    s.start({}, MON);
    s.serviceError('svc', { code: 'core.down', message: 'maintenance window' });
    expect(s.state?.outcome).toBe('manual');
    expect(s.state?.incidents).toEqual([]);
  });

  it('service task maps the result into case data', () => {
    const f = flow([{ id: 'svc', kind: 'service-task', name: t('svc'), connector: 'core-banking', input: { doubled: { '*': [{ var: 'a' }, 2] } }, output: { out: 'account.no' } }]);
    const s = createSimulator(f, { services: { 'core-banking': (input) => ({ account: { no: `62${String(input.doubled)}` } }) } });
    s.start({ a: 21 }, MON);
    expect(s.state?.data.out).toBe('6242');
    expect(s.audit.find((r) => r.type === 'service.called')?.details.input).toEqual({ doubled: 42 });
  });

  it('sub-flow starts a child case and maps its result back when it completes', () => {
    const child: FlowDefinition = {
      key: 'child',
      name: t('child'),
      caseSchema: { type: 'object', properties: { x: { type: 'number' }, verdict: { type: 'string' } } },
      nodes: [
        { id: 's', kind: 'start', name: t('s') },
        { id: 'review', kind: 'user-task', name: t('review'), queue: 'aml', form: { fields: [{ key: 'verdict', type: 'string', label: t('v'), required: true }] } },
        { id: 'e', kind: 'end', name: t('e'), outcome: 'cleared' },
      ],
      edges: [
        { id: 'a', source: 's', target: 'review' },
        { id: 'b', source: 'review', target: 'e' },
      ],
    };
    const f = flow([{ id: 'sub', kind: 'sub-flow', name: t('sub'), flow: 'child', input: { x: { var: 'a' } }, output: { child: 'verdict' } }]);
    expect(validateFlow(f, { flows: ['child'] })).toEqual([]);
    const s = createSimulator(f, { flows: { child } });
    s.start({ a: 1 }, MON);
    expect(s.waitingAt()).toEqual(['sub']);
    expect(s.completeTask('review', { verdict: 'clear' }).ok).toBe(true);
    expect(s.state?.status).toBe('completed');
    expect(s.state?.data.child).toBe('clear');
  });

  it('a loop that never waits stops at the activation limit with an incident instead of hanging', () => {
    const f = flow(
      [{ id: 'inc', kind: 'set-data', name: t('inc'), assignments: [{ field: 'a', value: { '+': [{ var: 'a' }, 1] } }] }, { id: 'again', kind: 'decision', name: t('again') }],
      [],
      [{ id: 'back', source: 'again', target: 'inc', condition: { '>': [{ var: 'a' }, 0] }, order: 0 }],
    );
    // the chain edge again→end is the default
    f.edges = f.edges.map((e) => (e.source === 'again' && e.target === 'end' ? { ...e, default: true } : e));
    expect(validateFlow(f).filter((i) => i.severity === 'error')).toEqual([]);
    const s = createSimulator(f);
    s.start({ a: 1 }, MON);
    expect(s.state?.status).toBe('waiting');
    expect(s.state?.incidents.map((i) => i.code)).toEqual(['engine.loop-limit']);
  });

  it('a case-level SLA breach raises the case priority and every open task', () => {
    const f = flow([{ id: 'work', kind: 'user-task', name: t('work'), queue: 'q' }]);
    f.sla = { duration: 'P2D', mode: 'working', escalations: [{ action: 'raise-priority', to: 95 }, { action: 'notify', to: 'branch-supervisor' }] };
    const s = createSimulator(f);
    s.start({}, MON);
    s.advance('PT48H');
    expect(s.state?.breaches).toEqual(['case']);
    expect(s.state?.priority).toBe(95);
    expect(s.findTask('work')?.priority).toBe(95);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'notify', to: 'branch-supervisor' }));
  });
});

describe('regressions', () => {
  it('a connector result without a mapped value leaves the field alone, so later messages are not refused', () => {
    const f = flow([
      { id: 'ocr', kind: 'service-task', name: t('ocr'), connector: 'ocr', output: { child: 'licence.name', a: 'confidence' } },
      { id: 'sign', kind: 'wait', name: t('sign'), message: 'branch.signed' },
    ]);
    const s = createSimulator(f, { services: { ocr: { confidence: 0 } } });
    s.start({}, MON);
    expect(s.state?.data).toEqual({ a: 0 });
    expect(s.audit.find((r) => r.type === 'service.succeeded')?.details.missing).toEqual(['child']);
    expect(s.message('branch.signed', { b: 1 }).ok).toBe(true);
    expect(s.state?.status).toBe('completed');
  });

  it('a message is checked on the fields it carries', () => {
    const f = flow([{ id: 'sign', kind: 'wait', name: t('sign'), message: 'branch.signed' }]);
    const s = createSimulator(f);
    s.start({}, MON);
    const r = s.message('branch.signed', { b: 'not a number' });
    expect(!r.ok && r.rejected.params.issues).toEqual([expect.objectContaining({ code: 'data.type', path: '/data/b' })]);
  });
});

describe('regressions found by the hostile-input fuzzing', () => {
  it('set-data of the whole case data ({"var": ""}) stores a copy, not a cycle', () => {
    const f = flow([{ id: 'calc', kind: 'set-data', name: t('c'), assignments: [{ field: 'out', value: { var: '' } }] }]);
    const s = createSimulator(f);
    s.start({ a: 1 }, MON);
    expect(s.state?.data).toEqual({ a: 1, out: { a: 1 } });
    expect(() => JSON.stringify(s.state)).not.toThrow();
  });

  it('validateFlow reports form fields that are not a list, or lack a key, instead of throwing', () => {
    const f = flow([{ id: 'task', kind: 'user-task', name: t('t'), queue: 'q', form: { fields: [{ key: 'a', type: 'number', label: t('a') }] } }]);
    const notAList = structuredClone(f);
    ((notAList.nodes[1] as { form: { fields: unknown } }).form.fields as unknown) = 'decision';
    expect(validateFlow(notAList)).toContainEqual(expect.objectContaining({ code: 'schema.type', path: '/nodes/1/form/fields' }));
    const noKey = structuredClone(f);
    delete ((noKey.nodes[1] as { form: { fields: { key?: string }[] } }).form.fields[0] as { key?: string }).key;
    expect(validateFlow(noKey)).toContainEqual(expect.objectContaining({ code: 'schema.required', path: '/nodes/1/form/fields/0/key' }));
  });
});
