import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { diffView } from './diff-overlay';

describe('diffView', () => {
  it('marks added, removed and changed nodes and edges and keeps removed ones on the canvas', () => {
    // given version 1 and a version 2 that drops the review task, adds a wait and changes a rule
    const v1 = loanFlow();
    const v2 = loanFlow();
    v2.nodes = v2.nodes.filter((n) => n.id !== 'review');
    v2.edges = v2.edges.filter((e) => e.target !== 'review' && e.source !== 'review');
    v2.nodes.push({ id: 'wait-1', kind: 'wait', message: 'docs', name: { 'zh-CN': '等待', en: 'Wait' } });
    v2.edges.push({ id: 'e9', source: 'decide', target: 'wait-1', default: true });
    const gate = v2.nodes.find((n) => n.id === 'gate');
    if (gate?.kind === 'compliance-gate') gate.rules = [{ ...gate.rules[0]!, action: 'flag' }];
    // when the diff view is built
    const view = diffView(v1, v2);
    // then each element carries its mark and the removed task is still drawn
    expect(view.overlay.nodes).toEqual({ 'wait-1': 'added', review: 'removed', gate: 'changed' });
    expect(view.overlay.edges).toMatchObject({ e9: 'added', e4: 'removed', e5: 'removed' });
    expect(view.doc.nodes.map((n) => n.id)).toContain('review');
    expect(view.doc.edges.map((e) => e.id)).toEqual(expect.arrayContaining(['e4', 'e5', 'e9']));
  });

  it('does not mark nodes that were only moved', () => {
    // given two versions that differ only in layout
    const v1 = loanFlow();
    const v2 = loanFlow();
    v2.nodes = v2.nodes.map((n) => ({ ...n, position: { x: 1, y: 1 } }));
    // when compared
    // then nothing is marked
    expect(diffView(v1, v2).overlay).toEqual({ mode: 'diff', nodes: {}, edges: {} });
  });
});
