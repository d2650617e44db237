import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Edge, FlowDefinition, Node } from './model';
import { createSimulator } from './simulator';
import { validateFlow } from './validate';

/**
 * Generated valid graphs: structured blocks (tasks, decisions, parallel pairs, gates, waits,
 * set-data, rework loops) nested to a small depth, then driven with random operator choices.
 */
type Block =
  | { t: 'task' }
  | { t: 'auto' }
  | { t: 'gate'; stop: boolean }
  | { t: 'wait' }
  | { t: 'xor'; branches: Block[][] }
  | { t: 'and'; branches: Block[][] }
  | { t: 'loop'; body: Block[] };

const blockArb: fc.Arbitrary<Block> = fc.letrec<{ block: Block; seq: Block[] }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Block>({ t: 'task' }),
    fc.constant<Block>({ t: 'auto' }),
    fc.boolean().map<Block>((stop) => ({ t: 'gate', stop })),
    fc.constant<Block>({ t: 'wait' }),
    fc.array(tie('seq'), { minLength: 2, maxLength: 3 }).map<Block>((branches) => ({ t: 'xor', branches })),
    fc.array(tie('seq'), { minLength: 2, maxLength: 3 }).map<Block>((branches) => ({ t: 'and', branches })),
    tie('seq').map<Block>((body) => ({ t: 'loop', body })),
  ),
  seq: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
})).block;

function build(blocks: Block[]): FlowDefinition {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  let n = 0;
  const name = (s: string) => ({ en: s, 'zh-CN': s });
  const add = (node: Omit<Node, 'name'> & { kind: Node['kind'] }) => {
    nodes.push({ ...node, name: name(node.id) } as Node);
    return node.id;
  };
  const link = (source: string, target: string, extra: Partial<Edge> = {}) => edges.push({ id: `e${edges.length}`, source, target, ...extra });
  // Returns [entry, exit] of a sequence.
  const seq = (bs: Block[]): [string, string] => {
    let first: string | undefined;
    let last: string | undefined;
    for (const b of bs) {
      const [i, o] = block(b);
      if (last) link(last, i);
      first ??= i;
      last = o;
    }
    return [first as string, last as string];
  };
  const block = (b: Block): [string, string] => {
    const id = `n${n++}`;
    switch (b.t) {
      case 'task': {
        add({ id, kind: 'user-task', queue: 'q', form: { fields: [{ key: 'choice', type: 'integer', label: name('c') }] } } as Node);
        return [id, id];
      }
      case 'auto':
        add({ id, kind: 'set-data', assignments: [{ field: 'count', value: { '+': [{ var: 'count' }, 1] } }] } as Node);
        return [id, id];
      case 'gate': {
        add({ id, kind: 'compliance-gate', rules: [{ id: 'r', name: name('r'), when: { '==': [{ var: 'choice' }, 7] }, action: b.stop ? 'stop' : 'flag' }] } as Node);
        return [id, id];
      }
      case 'wait':
        add({ id, kind: 'wait', message: 'go', sla: { duration: 'PT1H' } } as Node);
        return [id, id];
      case 'xor': {
        add({ id, kind: 'decision' } as Node);
        const merge = add({ id: `${id}m`, kind: 'set-data', assignments: [{ field: 'count', value: 0 }] } as Node);
        b.branches.forEach((br, i) => {
          const [bi, bo] = seq(br);
          link(id, bi, i === 0 ? { default: true } : { condition: { '==': [{ var: 'choice' }, i] } });
          link(bo, merge);
        });
        return [id, merge];
      }
      case 'and': {
        add({ id, kind: 'parallel-split' } as Node);
        const join = add({ id: `${id}j`, kind: 'parallel-join' } as Node);
        for (const br of b.branches) {
          const [bi, bo] = seq(br);
          link(id, bi);
          link(bo, join);
        }
        return [id, join];
      }
      case 'loop': {
        const head = add({ id, kind: 'set-data', assignments: [{ field: 'count', value: { '+': [{ var: 'count' }, 1] } }] } as Node);
        const [bi, bo] = seq(b.body);
        const test = add({ id: `${id}t`, kind: 'decision' } as Node);
        link(head, bi);
        link(bo, test);
        link(test, head, { condition: { and: [{ '<': [{ var: 'count' }, 3] }, { '==': [{ var: 'choice' }, 2] }] } });
        const out = add({ id: `${id}o`, kind: 'set-data', assignments: [{ field: 'count', value: 0 }] } as Node);
        link(test, out, { default: true });
        return [head, out];
      }
    }
  };
  const start = add({ id: 'start', kind: 'start' } as Node);
  const [i, o] = seq(blocks);
  const end = add({ id: 'end', kind: 'end', outcome: 'done' } as Node);
  link(start, i);
  link(o, end);
  return {
    key: 'generated',
    name: name('generated'),
    caseSchema: { type: 'object', properties: { choice: { type: 'integer' }, count: { type: 'integer' } } },
    nodes,
    edges,
  };
}

describe('engine properties on generated flows', () => {
  it('generated flows are valid', () => {
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 1, maxLength: 4 }), (blocks) => {
        const errors = validateFlow(build(blocks)).filter((i) => i.severity === 'error');
        expect(errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a step never throws, never loses a token, and the case always ends or waits', () => {
    fc.assert(
      fc.property(
        fc.array(blockArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ pick: fc.nat(), choice: fc.integer({ min: 0, max: 7 }), act: fc.integer({ min: 0, max: 9 }) }), { maxLength: 40 }),
        (blocks, moves) => {
          const flow = build(blocks);
          const sim = createSimulator(flow);
          expect(sim.start({ count: 0 }, '2026-03-02T01:00:00.000Z').ok).toBe(true);
          for (const m of moves) {
            const s = sim.state;
            if (!s || s.status !== 'waiting') break;
            // Invariants after every step.
            expect(s.tokens.length).toBeGreaterThan(0);
            for (const t of s.tokens) {
              expect(t.wait).toBeDefined();
              expect(flow.nodes.some((n) => n.id === t.nodeId)).toBe(true);
            }
            const taskTokens = s.tokens.filter((t) => t.wait?.type === 'task').length;
            expect(sim.tasks.size).toBe(taskTokens);
            const tasks = [...sim.tasks.values()];
            if (m.act < 7 && tasks.length) sim.completeTask(tasks[m.pick % tasks.length]!.taskId, { choice: m.choice });
            else if (m.act < 9) sim.message('go');
            else sim.advance('PT2H');
          }
          const end = sim.state;
          expect(end).not.toBeNull();
          if (end!.status === 'waiting') expect(end!.tokens.every((t) => t.wait)).toBe(true);
          else {
            expect(end!.tokens).toEqual([]);
            expect(sim.tasks.size).toBe(0);
            expect(sim.timers.size).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
