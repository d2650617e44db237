import type { Flag, RuleTrace } from '../case';
import { finishCase } from '../finish';
import type { ComplianceGateNode, GateAction, Issue } from '../model';
import { localizedTextRef } from '../schema/refs';
import { truthy } from './decision';
import { defineKind } from './types';

const severityOf: Record<GateAction, number> = { pass: 0, flag: 1, 'require-step': 2, stop: 3 };

/**
 * Risk and compliance checks inside the flow. Every named rule is evaluated and recorded;
 * a rule that fires passes, flags the case for the reviewer, sends the case through the
 * gate's `extra` exit (e.g. a second identity check), or stops the case with an alert.
 */
export const complianceGate = defineKind<ComplianceGateNode>({
  kind: 'compliance-gate',
  versions: [1],
  properties: {
    rules: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['id', 'name', 'when', 'action'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
          name: localizedTextRef,
          when: {},
          action: { enum: ['pass', 'flag', 'require-step', 'stop'] },
          message: localizedTextRef,
          outcome: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
        },
      },
    },
  },
  required: ['rules'],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 }, ports: ['extra'] },
  validate(node, ctx) {
    const issues: Issue[] = [];
    const ids = new Set<string>();
    node.rules.forEach((r, i) => {
      const p = `${ctx.path}/rules/${i}`;
      if (ids.has(r.id)) issues.push({ code: 'gate.rule.duplicate', severity: 'error', path: `${p}/id`, params: { rule: r.id }, nodeId: node.id });
      ids.add(r.id);
      issues.push(...ctx.rule(r.when, `${p}/when`));
    });
    const needsExtra = node.rules.some((r) => r.action === 'require-step');
    const hasExtra = ctx.outgoing.some((e) => e.port === 'extra');
    if (needsExtra && !hasExtra) issues.push({ code: 'gate.extra.missing', severity: 'error', path: ctx.path, params: {}, nodeId: node.id });
    if (!needsExtra && hasExtra) issues.push({ code: 'gate.extra.unused', severity: 'warning', path: ctx.path, params: {}, nodeId: node.id });
    return issues;
  },
  enter(node, token, rt) {
    const traces: RuleTrace[] = [];
    const results: { rule: string; fired: boolean; action: GateAction }[] = [];
    let worst: GateAction | undefined;
    let stopRule: (typeof node.rules)[number] | undefined;
    for (const rule of node.rules) {
      const trace = rt.evaluate(rule.when, rule.id);
      traces.push(trace);
      // A rule that cannot be evaluated is treated as fired: a compliance check must fail closed.
      const fired = trace.error !== undefined || truthy(trace.result);
      results.push({ rule: rule.id, fired, action: rule.action });
      if (!fired) continue;
      if (rule.action === 'flag') {
        const flag: Flag = { code: rule.id, nodeId: node.id, ruleId: rule.id, at: rt.now };
        if (rule.message) flag.message = rule.message;
        rt.state.flags.push(flag);
      }
      if (worst === undefined || severityOf[rule.action] > severityOf[worst]) worst = rule.action;
      if (rule.action === 'stop' && !stopRule) stopRule = rule;
    }
    rt.record('gate.evaluated', { results, action: worst ?? 'pass' }, { nodeId: node.id, tokenId: token.id, rules: traces });
    if (stopRule) {
      rt.effect({
        type: 'event.emit',
        name: 'compliance.alert',
        payload: { caseId: rt.state.id, flow: rt.state.flowKey, nodeId: node.id, rule: stopRule.id, ...(stopRule.message ? { message: stopRule.message } : {}) },
      });
      finishCase(rt, 'terminated', stopRule.outcome ?? 'terminated', { nodeId: node.id, rule: stopRule.id });
      return;
    }
    const extra = worst === 'require-step' ? rt.portEdge(node.id, 'extra') : undefined;
    if (extra) rt.take(token, extra);
    else rt.takeDefault(token);
  },
});
