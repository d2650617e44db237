import { describe, expect, it } from 'vitest';
import { cnMainlandCalendar } from '../calendar';
import type { FlowDefinition } from '../model';
import { createSimulator } from '../simulator';
import { addToDigest, aggregateHealth, createDigest, digestFigures, mergeDigests, type HealthDigest } from './aggregate';
import { caseFacts } from './facts';

const cal = cnMainlandCalendar;
const t = (en: string) => ({ en, 'zh-CN': en });

/** A survey answered in a task form (CSAT out of 10 here) and by a set-data step (NPS, e.g. from an IVR). */
const flow: FlowDefinition = {
  key: 'survey',
  name: t('Survey'),
  caseSchema: {
    type: 'object',
    properties: {
      rating: { type: 'integer', minimum: 1, maximum: 10, satisfaction: 'csat' },
      recommend: { type: 'integer', minimum: 0, maximum: 10, satisfaction: 'nps' },
      ivrScore: { type: 'integer' },
    },
  },
  nodes: [
    { id: 'start', kind: 'start', name: t('Start') },
    { id: 'ask', kind: 'user-task', name: t('Ask'), queue: 'agents', form: { fields: [{ key: 'rating', label: t('Rating'), type: 'integer' }] } },
    { id: 'copy', kind: 'set-data', name: t('Copy'), assignments: [{ field: 'recommend', value: { var: 'ivrScore' } }] },
    { id: 'end', kind: 'end', name: t('End'), outcome: 'done' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'copy' },
    { id: 'e3', source: 'copy', target: 'end' },
  ],
};

function journal(i: number, rating: number | undefined, ivrScore: number | undefined) {
  const at = `2026-03-0${2 + (i % 3)}T02:00:00.000Z`;
  const sim = createSimulator(flow, { calendar: cal, caseId: `c${i}` }, at);
  const started = sim.start(ivrScore === undefined ? {} : { ivrScore }, at);
  if (!started.ok) throw new Error(JSON.stringify(started));
  const task = [...sim.tasks.values()][0]!;
  const done = sim.completeTask(task.taskId, rating === undefined ? {} : { rating }, { id: 'agent-1' });
  if (!done.ok) throw new Error(JSON.stringify(done));
  return caseFacts(flow, sim.audit, cal);
}

describe('customer satisfaction', () => {
  const facts = [journal(0, 10, 10), journal(1, 9, 7), journal(2, 6, 3), journal(3, undefined, undefined), journal(4, 2, 9)];

  it('takes the answers from the task form and from a set-data step, on the field\'s own scale', () => {
    expect(facts[0]).toMatchObject({ csat: { score: 10, of: 10 }, nps: 10 });
    expect(facts[3]!.csat).toBeUndefined();
    expect(facts[3]!.nps).toBeUndefined();
  });

  it('reports CSAT as the share in the top two scores and NPS as promoters minus detractors', () => {
    const r = aggregateHealth(facts, { calendar: cal, definition: flow });
    expect(r.satisfaction).toEqual({
      csat: { responses: 4, scale: 10, mean: 6.75, satisfied: 2, rate: 0.5 },
      nps: { responses: 4, promoters: 2, passives: 1, detractors: 1, score: 25 },
    });
  });

  it('merges daily digests exactly, also with digests stored before satisfaction was counted', () => {
    const byDay = new Map<string, HealthDigest>();
    for (const f of facts) {
      const day = f.endedAt!.slice(0, 10);
      const d = byDay.get(day) ?? createDigest();
      addToDigest(d, f);
      byDay.set(day, d);
    }
    const stored = [...byDay.values()].map((d) => JSON.parse(JSON.stringify(d)) as HealthDigest);
    const old = createDigest();
    delete old.satisfaction;
    const merged = mergeDigests(old, ...stored);
    expect(digestFigures(merged, flow).satisfaction).toEqual(aggregateHealth(facts, { calendar: cal, definition: flow }).satisfaction);
  });
});
