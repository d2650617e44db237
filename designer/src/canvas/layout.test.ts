import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { elkLayout } from './layout';

describe('elkLayout', () => {
  it('lays the flow out left to right in the order of its edges', async () => {
    // given the loan flow with every node at the same place
    const flow = loanFlow();
    flow.nodes = flow.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } }));
    // when laid out
    const p = await elkLayout(flow);
    // then each step is right of the one before it, and review sits between decide and end
    expect(Object.keys(p).sort()).toEqual(['decide', 'end', 'gate', 'review', 'start']);
    expect(p.start!.x).toBeLessThan(p.gate!.x);
    expect(p.gate!.x).toBeLessThan(p.decide!.x);
    expect(p.decide!.x).toBeLessThan(p.review!.x);
    expect(p.review!.x).toBeLessThan(p.end!.x);
  });

  it('ignores edges to nodes that do not exist instead of failing', async () => {
    // given an edge to nowhere
    const flow = loanFlow();
    flow.edges.push({ id: 'bad', source: 'review', target: 'nowhere' });
    // when laid out
    // then the real nodes are still placed
    expect(Object.keys(await elkLayout(flow))).toHaveLength(5);
  });
});
