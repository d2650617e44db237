import type { StartNode } from '../model';
import { defineKind } from './types';

/** Where every case begins: the token passes straight on. */
export const start = defineKind<StartNode>({
  kind: 'start',
  versions: [1],
  properties: {},
  required: [],
  arity: { incoming: { min: 0, max: 0 }, outgoing: { min: 1, max: 1 } },
  enter(_node, token, rt) {
    rt.takeDefault(token);
  },
});
