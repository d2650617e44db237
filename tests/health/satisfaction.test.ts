/**
 * Customer satisfaction in process health: a flow marks the case-schema fields that hold the
 * customer's CSAT score and likelihood to recommend (`satisfaction: 'csat' | 'nps'`), the answer
 * arrives like any other data (here a message), and the health API reports CSAT and NPS of the
 * cases that answered, from the facts and from the daily digests alike, in JSON and CSV.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createManualClock } from '@flowpath/runtime-api';
import { startServer, type Json, type TestServer } from '../helpers/server';
import { surveyFlow } from './flows';
import { bj } from './history';

let s: TestServer;

/** Six requests on Tuesday 3 March 2026: five answer the survey, one closes without scores. */
const ANSWERS: ({ csatScore: number; npsScore: number } | Record<string, never>)[] = [
  { csatScore: 5, npsScore: 10 }, // satisfied, promoter
  { csatScore: 4, npsScore: 9 }, // satisfied, promoter
  { csatScore: 4, npsScore: 7 }, // satisfied, passive
  { csatScore: 3, npsScore: 6 }, // not satisfied, detractor
  { csatScore: 1, npsScore: 8 }, // not satisfied, passive
  {}, // no answer
];

beforeAll(async () => {
  s = await startServer({ flows: [surveyFlow()], clock: createManualClock(bj('2026-03-03T10:00:00')) });
  for (const [i, answer] of ANSWERS.entries()) {
    const started = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'health-survey', data: { customerId: `C-${i}`, branchId: i % 2 === 0 ? 'B01' : 'B02' } } });
    expect(started.status).toBe(201);
    s.clock.advance('PT10M');
    const sent = await s.request('POST', `/api/cases/${started.body.id}/messages`, { as: 'app', body: { name: 'customer.feedback', data: { ...answer, comment: 'ok' } } });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('completed');
  }
  s.clock.set(bj('2026-03-05T10:00:00'));
});
afterAll(async () => {
  await s.close();
});

const expected = {
  csat: { responses: 5, scale: 5, mean: 3.4, satisfied: 3, rate: 0.6 },
  nps: { responses: 5, promoters: 2, passives: 2, detractors: 1, score: 20 },
};

describe('CSAT and NPS in the health report', () => {
  test('from the daily digests (whole days, cases that ended) and from the facts (basis started) alike', async () => {
    const digests = await s.request('GET', '/api/flows/health-survey/health?from=2026-03-01&to=2026-03-31', { as: 'owner' });
    expect(digests.status).toBe(200);
    expect(digests.body.volume.completed).toBe(6);
    expect(digests.body.satisfaction).toEqual(expected);
    const facts = await s.request('GET', '/api/flows/health-survey/health?from=2026-03-01&to=2026-03-31&basis=started', { as: 'owner' });
    expect(facts.body.satisfaction).toEqual(expected);
  });

  test('per branch: B01 answered 5/10, 4/7 and 1/8; B02 4/9, 3/6 and nothing', async () => {
    const r = (await s.request('GET', '/api/flows/health-survey/health?groupBy=branchId', { as: 'analyst' })).body;
    const by = Object.fromEntries(r.groups.groups.map((g: Json) => [g.value, g.report.satisfaction]));
    expect(by.B01).toEqual({ csat: { responses: 3, scale: 5, mean: 3.33, satisfied: 2, rate: 2 / 3 }, nps: { responses: 3, promoters: 1, passives: 2, detractors: 0, score: 33.3 } });
    expect(by.B02).toEqual({ csat: { responses: 2, scale: 5, mean: 3.5, satisfied: 1, rate: 0.5 }, nps: { responses: 2, promoters: 1, passives: 0, detractors: 1, score: 0 } });
  });

  test('a period without answers reports none: null, not zero', async () => {
    const r = (await s.request('GET', '/api/flows/health-survey/health?from=2026-02-01&to=2026-02-28', { as: 'owner' })).body;
    expect(r.satisfaction).toEqual({ csat: { responses: 0, scale: null, mean: null, satisfied: 0, rate: null }, nps: { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null } });
  });

  test('CSV names the figures satisfaction.csat.rate and satisfaction.nps.score', async () => {
    const res = await s.request('GET', '/api/flows/health-survey/health?from=2026-03-01&to=2026-03-31&format=csv', { as: 'owner' });
    expect(res.status).toBe(200);
    expect(res.text).toContain(',satisfaction.csat.rate,0.6\r\n');
    expect(res.text).toContain(',satisfaction.nps.score,20\r\n');
  });
});
