import type { FlowDefinition } from '@flowpath/engine';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api/console-types';
import { loanFlow } from '../../test/fixtures';
import { casePathOverlay } from './case-path';
import { ruleResults } from './rule-results';

let seq = 0;
const entry = (type: string, nodeId: string | undefined, details: Record<string, unknown> = {}, rules?: AuditEntry['rules']): AuditEntry => ({
  seq: ++seq,
  at: '2026-03-02T01:00:00Z',
  actor: null,
  type,
  ...(nodeId ? { nodeId } : {}),
  details,
  ...(rules ? { rules } : {}),
  hash: 'h',
  prevHash: 'p',
});

describe('the path a case took', () => {
  const def: FlowDefinition = loanFlow();
  const [toGate, toDecide, toReview] = [def.edges.find((e) => e.target === 'gate'), def.edges.find((e) => e.target === 'decide'), def.edges.find((e) => e.target === 'review')];

  it('marks the nodes and edges it went through, and where it waits now', () => {
    // given a case that went start → gate → decide → review and waits there
    const audit = [
      entry('node.entered', 'start'),
      entry('node.entered', 'gate', { via: toGate?.id }),
      entry('node.left', 'gate'),
      entry('node.entered', 'decide', { via: toDecide?.id }),
      entry('node.entered', 'review', { via: toReview?.id }),
      entry('task.opened', 'review'),
    ];
    const overlay = casePathOverlay(def, audit, { status: 'waiting', waits: [{ nodeId: 'review', tokenId: 't1', type: 'task', since: '' }], incidents: [] });
    // then
    expect(overlay.nodes).toEqual({ start: 'visited', gate: 'visited', decide: 'visited', review: 'active' });
    expect(Object.keys(overlay.edges).sort()).toEqual([toGate?.id, toDecide?.id, toReview?.id].sort());
  });

  it('marks nothing active once the case has ended, and ignores ids the version does not have', () => {
    const overlay = casePathOverlay(def, [entry('node.entered', 'start'), entry('node.entered', 'ghost', { via: 'nowhere' })], { status: 'completed', waits: [], incidents: [] });
    expect(overlay.nodes).toEqual({ start: 'visited' });
    expect(overlay.edges).toEqual({});
  });
});

describe('rule results from the audit trail', () => {
  it('reads a gate evaluation with every rule, its verdict and the data it read', () => {
    const def = loanFlow();
    const audit = [
      entry('gate.evaluated', 'gate', { results: [{ rule: 'blacklist', fired: false, action: 'stop' }], action: 'pass' }, [
        { ruleId: 'blacklist', rule: { inList: ['blacklist', { var: 'customer.id' }] }, reads: { 'customer.id': '3205****3326' }, result: false },
      ]),
    ];
    const [gate] = ruleResults(def, audit);
    expect(gate).toMatchObject({ kind: 'gate', nodeId: 'gate', outcome: 'pass' });
    expect(gate?.verdicts).toEqual([
      { id: 'blacklist', name: { 'zh-CN': '黑名单', en: 'Blacklist' }, rule: { inList: ['blacklist', { var: 'customer.id' }] }, fired: false, action: 'stop', reads: { 'customer.id': '3205****3326' }, result: false, error: null },
    ]);
  });

  it('reads a decision: the conditions tried, which held, and a default taken', () => {
    const def = loanFlow();
    const conditional = def.edges.find((e) => e.source === 'decide' && !e.default);
    const fallback = def.edges.find((e) => e.source === 'decide' && e.default);
    const audit = [entry('node.entered', 'decide'), entry('decision.taken', 'decide', { edgeId: fallback?.id, default: true }, [{ ruleId: conditional?.id, rule: conditional?.condition, reads: { amount: 80000 }, result: false }])];
    const [decision] = ruleResults(def, audit);
    expect(decision).toMatchObject({ kind: 'decision', outcome: fallback?.id, byDefault: true });
    expect(decision?.verdicts).toEqual([expect.objectContaining({ id: conditional?.id, fired: false, reads: { amount: 80000 } })]);
  });
});
