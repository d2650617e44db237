import { getPath, setPath } from '../data-path';
import type { Issue, SubFlowNode } from '../model';
import { defineKind } from './types';

/** Starts a case of another published flow and continues when it ends. */
export const subFlow = defineKind<SubFlowNode>({
  kind: 'sub-flow',
  versions: [1],
  properties: {
    flow: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' },
    input: { type: 'object', maxProperties: 100, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
    output: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 200 } },
  },
  required: ['flow'],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 }, ports: ['error'] },
  validate(node, ctx) {
    const issues: Issue[] = [];
    if (node.flow === ctx.flow.key) issues.push({ code: 'subflow.recursive', severity: 'error', path: `${ctx.path}/flow`, params: { flow: node.flow }, nodeId: node.id });
    if (ctx.flows && !ctx.flows.includes(node.flow)) issues.push({ code: 'subflow.flow.unknown', severity: 'error', path: `${ctx.path}/flow`, params: { flow: node.flow }, nodeId: node.id });
    for (const [k, rule] of Object.entries(node.input ?? {})) issues.push(...ctx.rule(rule, `${ctx.path}/input/${k}`));
    for (const k of Object.keys(node.output ?? {})) issues.push(...ctx.field(k, `${ctx.path}/output/${k}`));
    return issues;
  },
  enter(node, token, rt) {
    const data: Record<string, unknown> = {};
    const traces = [];
    for (const [k, rule] of Object.entries(node.input ?? {})) {
      const trace = rt.evaluate(rule, k);
      traces.push(trace);
      data[k] = trace.result;
    }
    const requestId = `${rt.state.id}-${rt.nextId('sub')}`;
    rt.wait(token, { type: 'sub-flow', requestId });
    rt.effect({ type: 'sub-flow.start', requestId, nodeId: node.id, flow: node.flow, data });
    rt.record('sub-flow.started', { requestId, flow: node.flow, data }, { nodeId: node.id, tokenId: token.id, rules: traces });
  },
  resume(node, token, input, rt) {
    const w = token.wait;
    if (input.type !== 'sub-flow.ended' || w?.type !== 'sub-flow' || w.requestId !== input.requestId) return;
    rt.record('sub-flow.ended', { requestId: input.requestId, status: input.status, outcome: input.outcome }, { nodeId: node.id, tokenId: token.id });
    if (input.status !== 'completed') {
      const errorEdge = rt.portEdge(node.id, 'error');
      if (errorEdge) rt.take(token, errorEdge);
      else rt.raiseIncident(token, 'subflow.failed', `sub-flow ${node.flow} ended ${input.status} (${input.outcome})`);
      return;
    }
    for (const [field, from] of Object.entries(node.output ?? {})) {
      const v = getPath(input.data, from);
      if (v !== undefined) setPath(rt.state.data, field, v);
    }
    rt.takeDefault(token);
  },
});
