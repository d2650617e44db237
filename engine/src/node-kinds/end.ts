import type { EndNode } from '../model';
import { finishCase } from '../finish';
import { defineKind } from './types';

/** Consumes the token; the case ends with this outcome when no other token is left (or at once with `terminate`). */
export const end = defineKind<EndNode>({
  kind: 'end',
  versions: [1],
  properties: {
    outcome: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
    terminate: { type: 'boolean' },
  },
  required: ['outcome'],
  arity: { incoming: { min: 1 }, outgoing: { min: 0, max: 0 } },
  enter(node, token, rt) {
    rt.consume(token);
    if (node.terminate) {
      for (const t of [...rt.state.tokens]) rt.discard(t);
    }
    if (rt.state.tokens.length === 0) finishCase(rt, 'completed', node.outcome, { nodeId: node.id });
  },
});
