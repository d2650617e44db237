import type { Issue, SetDataNode } from '../model';
import { fieldPathSchema } from '../schema/refs';
import { defineKind } from './types';

/** Computes case data with rules, in order (later assignments see earlier ones). */
export const setData = defineKind<SetDataNode>({
  kind: 'set-data',
  versions: [1],
  properties: {
    assignments: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['field', 'value'],
        additionalProperties: false,
        properties: { field: fieldPathSchema, value: {} },
      },
    },
  },
  required: ['assignments'],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 } },
  validate(node, ctx) {
    const issues: Issue[] = [];
    node.assignments.forEach((a, i) => {
      issues.push(...ctx.field(a.field, `${ctx.path}/assignments/${i}/field`));
      issues.push(...ctx.rule(a.value, `${ctx.path}/assignments/${i}/value`));
    });
    return issues;
  },
  enter(node, token, rt) {
    const traces = [];
    const values: Record<string, unknown> = {};
    for (const a of node.assignments) {
      const trace = rt.evaluate(a.value, a.field);
      traces.push(trace);
      const v = trace.error ? null : trace.result;
      rt.setData(a.field, v);
      values[a.field] = v;
    }
    rt.record('data.set', { values }, { nodeId: node.id, tokenId: token.id, rules: traces });
    rt.takeDefault(token);
  },
});
