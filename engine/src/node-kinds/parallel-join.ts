import type { ParallelJoinNode } from '../model';
import { defineKind } from './types';

/** Waits until a token has arrived by every incoming edge, then continues with one token. */
export const parallelJoin = defineKind<ParallelJoinNode>({
  kind: 'parallel-join',
  versions: [1],
  properties: {},
  required: [],
  arity: { incoming: { min: 2 }, outgoing: { min: 1, max: 1 } },
  enter(node, token, rt) {
    rt.wait(token, { type: 'join' });
    const waiting = rt.state.tokens.filter((t) => t.nodeId === node.id && t.wait?.type === 'join');
    const arrivals = new Map<string, typeof token>();
    for (const t of waiting) if (t.via !== undefined && !arrivals.has(t.via)) arrivals.set(t.via, t);
    const incoming = rt.incoming(node.id);
    if (!incoming.every((e) => arrivals.has(e.id))) return;
    for (const e of incoming) rt.consume(arrivals.get(e.id) as typeof token);
    const next = rt.outgoing(node.id).find((e) => e.port === undefined);
    if (next) rt.spawn(next.target, next.id);
  },
});
