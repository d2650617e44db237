/**
 * The demo behaviours of `flowpath simulate` for the main templates: each runs three months of
 * cases (January–March 2026, Spring Festival included) through the real engine with its pilot at
 * two branches from 2 February, and the figures come out near what the source documents quote —
 * today's pace on version 1, the redesign's on the pilot. Seeded, so the same every run. Each also
 * loads into a store as `flowpath simulate` loads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { aggregateHealth, caseFacts, cnMainlandCalendar, generateHistory, type CaseFacts, type FlowDefinition, type HealthReport, type HistoryCase, type HistorySpec } from '@flowpath/engine';
import { createManualClock, DEMO_SPECS, demoHistorySpec, FlowpathRuntime, loadFlows, loadHistory, openSqliteStore, readTemplates } from '@flowpath/runtime-api';
import { bj, HOUR, MINUTE } from './history';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const templates = readTemplates(join(repo, 'process-templates'));
const cal = cnMainlandCalendar;
const WORKING_DAY = 8 * HOUR;
const FROM = bj('2026-01-05T00:00:00');
const TO = bj('2026-03-31T00:00:00');
const PILOT_FROM = bj('2026-02-02T00:00:00');

function template(key: string): FlowDefinition {
  const t = templates.find((x) => x.key === key);
  if (!t) throw new Error(`no template ${key}`);
  return t;
}

function spec(key: string, rate?: number, from = FROM, to = TO, pilotFrom = PILOT_FROM): HistorySpec {
  const demo = DEMO_SPECS[key];
  if (!demo) throw new Error(`no demo behaviour for ${key}`);
  return demoHistorySpec(demo, { template: template(key), from, to, seed: 7, calendar: cal, pilot: { branches: ['B01', 'B02'], from: pilotFrom }, ...(rate !== undefined ? { rate } : {}) });
}

interface Simulated {
  cases: HistoryCase[];
  facts: CaseFacts[];
  /** The figures of the cases on one version (1: today, 2: the pilot). */
  report: (version: 1 | 2) => HealthReport;
}

function simulate(key: string, rate?: number): Simulated {
  const s = spec(key, rate);
  const defs = new Map(s.versions.map((v) => [v.version, v.definition]));
  const cases = [...generateHistory(s)];
  const facts = cases.map((c) => caseFacts(defs.get(c.version) as FlowDefinition, c.audit, cal));
  return { cases, facts, report: (version) => aggregateHealth(facts, { filter: { versions: [version] }, calendar: cal, definition: defs.get(version) as FlowDefinition }) };
}

const milestone = (r: HealthReport, id: string) => {
  const m = r.milestones.find((x) => x.id === id);
  if (!m) throw new Error(`no milestone ${id}`);
  return m;
};
const node = (r: HealthReport, id: string) => {
  const n = r.nodes.find((x) => x.nodeId === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

test('every main template has a demo behaviour', () => {
  expect(Object.keys(DEMO_SPECS).sort()).toEqual(['complaint-handling', 'consumer-loan', 'counter-service', 'enterprise-account-opening', 'personal-account-kyc', 'sme-loan']);
});

describe('enterprise account opening: 7 working days today; first review 2 working days → 4 hours', () => {
  const h = simulate('enterprise-account-opening');
  const today = h.report(1);
  const pilot = h.report(2);

  test('about 12 companies a working day, every case whole and no case stuck', () => {
    expect(h.cases.length).toBeGreaterThan(550);
    expect(h.cases.some((c) => c.truncated)).toBe(false);
    expect(today.volume.outcomes.approved).toBeGreaterThan(200);
    // A company on the AML high-risk list is stopped at the gate with an alert.
    expect(today.compliance.alerts.stopped + pilot.compliance.alerts.stopped).toBeGreaterThan(0);
  });

  test('today: about 7 working days to open, first review about 2 working days, 15 % sent back', () => {
    expect(today.cycle.working.mean! / WORKING_DAY).toBeGreaterThan(6);
    expect(today.cycle.working.mean! / WORKING_DAY).toBeLessThan(8);
    const first = milestone(today, 'first-review');
    expect(first.duration.working.mean! / WORKING_DAY).toBeGreaterThan(1.5);
    expect(first.duration.working.mean! / WORKING_DAY).toBeLessThan(2.5);
    expect(first.attainment!).toBeLessThan(0.1);
    expect(today.rework.rate!).toBeGreaterThan(0.1);
    expect(today.rework.rate!).toBeLessThan(0.2);
  });

  test('pilot: first review within 4 working hours, fewer files sent back', () => {
    const first = milestone(pilot, 'first-review');
    expect(first.duration.working.p50!).toBeLessThan(4 * HOUR);
    expect(first.attainment!).toBeGreaterThan(0.85);
    expect(pilot.rework.rate!).toBeLessThan(today.rework.rate! / 2);
    expect(pilot.cycle.working.mean!).toBeLessThan(today.cycle.working.mean!);
  });
});

describe('personal account opening: the AML alert answered in about a day today', () => {
  const h = simulate('personal-account-kyc', 30);
  const today = h.report(1);
  const pilot = h.report(2);

  test('most accounts open straight through; listed customers and sanctions are stopped', () => {
    expect(today.stp.rate!).toBeGreaterThan(0.6);
    expect(today.stp.rate!).toBeLessThan(0.95);
    expect(today.compliance.alerts.stopped).toBeGreaterThan(0);
    expect(milestone(today, 'account-opened').duration.working.p50!).toBeLessThan(10 * MINUTE);
  });

  test('today the AML alert takes about 24 hours; the pilot answers within 2 hours', () => {
    const aml = milestone(today, 'aml-response');
    expect(aml.reached).toBeGreaterThan(40);
    expect(aml.duration.calendar.p50!).toBeGreaterThan(16 * HOUR);
    expect(aml.duration.calendar.p50!).toBeLessThan(32 * HOUR);
    const fast = milestone(pilot, 'aml-response');
    expect(fast.reached).toBeGreaterThan(15);
    expect(fast.duration.calendar.p50!).toBeLessThan(2 * HOUR);
    expect(fast.attainment!).toBeGreaterThan(0.7);
  });
});

describe('complaint handling: priority response by a senior agent', () => {
  const h = simulate('complaint-handling');
  const today = h.report(1);
  const pilot = h.report(2);

  test('complaints arrive every day, duplicates are merged, most end resolved', () => {
    expect(h.cases.length).toBeGreaterThan(800);
    expect(today.volume.outcomes.merged).toBeGreaterThan(0);
    expect(today.volume.outcomes.resolved! / today.volume.completed).toBeGreaterThan(0.9);
  });

  test('today a senior agent first handles a complaint after about 2 working days; the pilot within a few hours', () => {
    const first = milestone(today, 'first-response');
    expect(first.duration.working.p50! / WORKING_DAY).toBeGreaterThan(1.5);
    expect(first.duration.working.p50! / WORKING_DAY).toBeLessThan(3);
    expect(first.duration.calendar.p50!).toBeLessThan(96 * HOUR);
    expect(milestone(pilot, 'first-response').duration.working.p50!).toBeLessThan(4 * HOUR);
    expect(node(pilot, 'senior-handling').queue!.working.p50!).toBeLessThan(node(today, 'senior-handling').queue!.working.p50! / 4);
  });

  test('customers settled sooner are more often satisfied: CSAT about 85 % today, about 92 % with the pilot', () => {
    expect(today.satisfaction.csat.responses).toBeGreaterThan(200);
    expect(today.satisfaction.csat.rate!).toBeGreaterThan(0.8);
    expect(today.satisfaction.csat.rate!).toBeLessThan(0.88);
    expect(pilot.satisfaction.csat.rate!).toBeGreaterThan(0.88);
    expect(pilot.satisfaction.csat.rate!).toBeLessThan(0.96);
  });
});

describe('consumer loan: automatic approval, manual re-check only for exceptions', () => {
  const h = simulate('consumer-loan', 30);
  const today = h.report(1);
  const pilot = h.report(2);

  test('about half approved straight through, decided within minutes', () => {
    expect(today.stp.rate!).toBeGreaterThan(0.4);
    expect(today.stp.rate!).toBeLessThan(0.7);
    expect(milestone(today, 'decision').duration.working.p50!).toBeLessThan(10 * MINUTE);
    // Blacklisted applicants are stopped; debt ratio, litigation and overdue flags go to the re-check.
    expect(today.compliance.alerts.stopped).toBeGreaterThan(0);
    expect(today.compliance.alerts.answered).toBeGreaterThan(100);
  });

  test('today an exception waits about 2–3 working days and mostly misses T+1; the pilot re-checks it the same day', () => {
    const slow = milestone(today, 'manual-recheck');
    expect(slow.duration.working.mean! / WORKING_DAY).toBeGreaterThan(2);
    expect(slow.duration.working.mean! / WORKING_DAY).toBeLessThan(3.5);
    expect(slow.attainment!).toBeLessThan(0.4);
    const fast = milestone(pilot, 'manual-recheck');
    expect(fast.attainment!).toBeGreaterThan(0.95);
    expect(milestone(pilot, 'disbursed').attainment!).toBeGreaterThan(0.9);
  });
});

describe('counter service: 15 minutes today, under 5 with pre-filled forms', () => {
  const h = simulate('counter-service', 40);
  const today = h.report(1);
  const pilot = h.report(2);

  test('today a counter transaction takes about 15 minutes, the teller keying in about 12', () => {
    expect(today.cycle.calendar.p50!).toBeGreaterThan(12 * MINUTE);
    expect(today.cycle.calendar.p50!).toBeLessThan(18 * MINUTE);
    expect(node(today, 'teller-check').handling!.working.p50!).toBeGreaterThan(10 * MINUTE);
    expect(today.sla.case.attainment!).toBeLessThan(0.05);
  });

  test('the pilot: under 5 minutes', () => {
    expect(pilot.cycle.calendar.p50!).toBeLessThan(5 * MINUTE);
    expect(node(pilot, 'teller-check').handling!.working.p50!).toBeLessThan(3 * MINUTE);
    expect(pilot.sla.case.attainment!).toBeGreaterThan(0.5);
  });
});

test('the same seed gives the same history', () => {
  const first = (s: HistorySpec) => {
    const out: HistoryCase[] = [];
    for (const c of generateHistory(s)) {
      out.push(c);
      if (out.length === 40) break;
    }
    return JSON.stringify(out);
  };
  expect(first(spec('complaint-handling'))).toBe(first(spec('complaint-handling')));
});

describe('loading into a store, as flowpath simulate does', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test.each(['enterprise-account-opening', 'personal-account-kyc', 'complaint-handling', 'consumer-loan', 'counter-service'])(
    '%s: every case with its facts row, open tasks and timers',
    async (key) => {
      const dir = mkdtempSync(join(tmpdir(), 'flowpath-demo-'));
      dirs.push(dir);
      const store = openSqliteStore(join(dir, 'flowpath.db'), { synchronous: 'normal' });
      const to = bj('2026-03-14T00:00:00');
      const rt = new FlowpathRuntime({ store, clock: createManualClock(to) });
      try {
        await loadFlows(rt, templates);
        const loaded = await loadHistory(rt, { spec: spec(key, 10, bj('2026-03-02T00:00:00'), to, bj('2026-03-09T00:00:00')) });
        expect(loaded.cases).toBeGreaterThan(40);
        expect(Object.keys(loaded.byVersion).sort()).toEqual(['1', '2']);
        expect(await store.listCaseFacts({ flowKey: key })).toHaveLength(loaded.cases);
        const open = await store.listCases({ flowKey: key, status: 'waiting' }, 10_000);
        expect(open).toHaveLength(loaded.open);
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
