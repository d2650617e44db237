import { createSimulator } from '@flowpath/engine';
import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { runOverlay, sampleData, toScenario } from './scenario';

describe('sampleData', () => {
  it('gives every field a placeholder of its type, nested objects included', () => {
    // given the loan case schema
    // when sample data is made
    // then each field has a value of its type (enums take their first value)
    expect(sampleData(loanFlow().caseSchema)).toEqual({ amount: 0, branch: '', customer: { id: '', tier: 'retail' }, approved: false });
  });
});

describe('a test run saved as a scenario', () => {
  it('replays the run: start, completed task and the path taken as expectation', () => {
    // given a loan of 80 000 run to the manual review and completed by hand
    const flow = loanFlow();
    const sim = createSimulator(flow, { lists: { blacklist: [] } });
    const data = { amount: 80000, branch: 'SH01', customer: { id: 'C1', tier: 'retail' } };
    expect(sim.start(data, '2026-01-05T01:00:00.000Z').ok).toBe(true);
    // then the canvas shows the path so far and where it waits
    const overlay = runOverlay(sim);
    expect(overlay.nodes).toEqual({ start: 'visited', gate: 'visited', decide: 'visited', review: 'active' });
    expect(overlay.edges).toEqual({ e1: 'visited', e2: 'visited', e4: 'visited' });
    // when the review is completed
    expect(sim.completeTask('review', {}).ok).toBe(true);
    // and the run is saved
    const scenario = toScenario(
      { name: 'large loan goes to review', flowPath: '../small-loan.json', start: { data, at: '2026-01-05T01:00:00.000Z' }, lists: { blacklist: [] }, services: {}, steps: [{ complete: 'review', data: {} }] },
      sim,
      flow,
    );
    // then it is a flowpath-test scenario that expects exactly what happened
    expect(scenario).toEqual({
      name: 'large loan goes to review',
      flow: '../small-loan.json',
      start: { data, at: '2026-01-05T01:00:00.000Z' },
      lists: { blacklist: [] },
      steps: [{ complete: 'review', data: {} }],
      expect: { status: 'completed', outcome: 'approved', visited: ['start', 'gate', 'decide', 'review', 'end'] },
    });
  });
});
