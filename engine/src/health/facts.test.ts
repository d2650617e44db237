import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../case';
import { cnMainlandCalendar } from '../calendar';
import { createSimulator } from '../simulator';
import { caseFacts, foldFacts, foldFactsInPlace } from './facts';
import { HealthError } from './errors';
import { openingFlow } from './fixtures/opening-flow';
import { HOUR, MINUTE, bj, claim, rec } from './fixtures/journal';

const cal = cnMainlandCalendar;
const flow = openingFlow();
const services = { ocr: { licenceNo: 'L1' } };

/** Fri 13 Feb 2026 16:00 → Tue 24 Feb: a make-up Saturday (14th), then the Spring Festival (15th–23rd). */
function springFestivalCase() {
  const s = createSimulator(flow, { services, lists: { blacklist: ['BAD'] } });
  s.start({ companyId: 'C1', branch: 'b1', channel: 'app', legalPersonId: '110101199001011234', pep: true }, bj('2026-02-13 16:00'));
  claim(s, 'first-review', 'op-a', bj('2026-02-14 10:00'));
  s.advanceTo(bj('2026-02-24 11:00'));
  s.completeTask('first-review', { docsComplete: true }, { id: 'op-a' });
  claim(s, 'ops-review', 'op-a', bj('2026-02-24 13:00'));
  s.advanceTo(bj('2026-02-24 14:00'));
  s.completeTask('ops-review', { opsOk: true }, { id: 'op-a' });
  s.advanceTo(bj('2026-02-24 16:00'));
  s.completeTask('risk-review', { riskOk: true }, { id: 'op-b' });
  return s;
}

describe('caseFacts: working time across the 2026 Spring Festival', () => {
  const s = springFestivalCase();
  const f = caseFacts(flow, s.audit, cal);

  it('measures cycle time in calendar and in working time (make-up Saturday counts, holidays do not)', () => {
    expect(f.status).toBe('completed');
    expect(f.outcome).toBe('opened');
    // Fri 16:00 → Tue 24 16:00 is 11 days; working: Fri 1 h + Sat 14 (make-up day) 8 h + Tue 7 h.
    expect(f.cycle).toEqual([264 * HOUR, 16 * HOUR]);
  });

  it('splits a task into waiting for a claim and handling', () => {
    const review = f.nodes['first-review'];
    // Opened Fri 16:00, claimed Sat 10:00: 18 h, of which Fri 16–17 and Sat 9–10 are working.
    expect(review?.queue).toEqual([[18 * HOUR, 2 * HOUR]]);
    // Claimed Sat 10:00, completed Tue 24 11:00: Sat 10–17 and Tue 9–11 are working.
    expect(review?.handling).toEqual([[241 * HOUR, 9 * HOUR]]);
    expect(review?.time).toEqual([[259 * HOUR, 11 * HOUR]]);
    // Completed without a claim: waiting runs to completion and handling is unknown.
    expect(f.nodes['risk-review']?.queue).toEqual([[5 * HOUR, 5 * HOUR]]);
    expect(f.nodes['risk-review']?.handling).toBeUndefined();
    expect(f.nodes['risk-review']?.unclaimed).toBe(1);
    expect(f.nodes['ops-review']?.handling).toEqual([[1 * HOUR, 1 * HOUR]]);
  });

  it('records the node SLA warning, breach and escalation on the make-up Saturday', () => {
    const review = f.nodes['first-review'];
    expect(review).toMatchObject({ slaWarned: 1, slaBreached: 1, escalations: 1 });
    expect(review?.slaMet).toBeUndefined();
    expect(s.audit.find((a) => a.type === 'sla.breached')?.at).toBe(bj('2026-02-14 12:00'));
    expect(f.caseSla).toBe('met'); // 5 working days from Fri 16:00 end on Fri 27 Feb 16:00
    expect([f.warnings, f.breaches, f.escalations]).toEqual([1, 1, 1]);
  });

  it('measures milestones against their working-time targets', () => {
    expect(f.milestones['first-review']).toEqual({ at: bj('2026-02-24 11:00'), span: [259 * HOUR, 11 * HOUR], met: false });
    // From first-review completion (Tue 11:00) to the join (Tue 16:00): within one working day.
    expect(f.milestones.approval).toEqual({ at: bj('2026-02-24 16:00'), span: [5 * HOUR, 5 * HOUR], met: true });
  });

  it('times the wait of the first branch at the join', () => {
    expect(f.nodes.join?.time).toEqual([
      [2 * HOUR, 2 * HOUR],
      [0, 0],
    ]);
    expect(f.nodes.join?.rework).toBeUndefined();
  });

  it('answers the PEP flag with the next task completion and counts every rule', () => {
    expect(f.alerts).toEqual([
      { nodeId: 'gate', at: bj('2026-02-13 16:00'), action: 'flag', rules: ['pep'], respondedAt: bj('2026-02-24 11:00'), response: [259 * HOUR, 11 * HOUR], by: 'op-a' },
    ]);
    expect(f.rules).toEqual({
      'gate/blacklist': { nodeId: 'gate', rule: 'blacklist', action: 'stop', evaluated: 1, fired: 0 },
      'gate/pep': { nodeId: 'gate', rule: 'pep', action: 'flag', evaluated: 1, fired: 1 },
      'gate/id-mismatch': { nodeId: 'gate', rule: 'id-mismatch', action: 'require-step', evaluated: 1, fired: 0 },
    });
    expect(f.nodes.gate?.hits).toBe(1);
  });

  it('keeps dimensions but never a sensitive field, and keeps operators with the queue they worked', () => {
    expect(f.dims).toEqual({ branch: 'b1', channel: 'app' });
    expect(JSON.stringify(f)).not.toContain('110101199001011234');
    expect(f.work).toEqual([
      { actor: 'op-a', nodeId: 'first-review', queue: 'ops-senior', at: bj('2026-02-24 11:00') },
      { actor: 'op-a', nodeId: 'ops-review', queue: 'ops', at: bj('2026-02-24 14:00') },
      { actor: 'op-b', nodeId: 'risk-review', queue: 'risk', at: bj('2026-02-24 16:00') },
    ]);
    expect(f.stp).toBe(false);
    expect(f.humanTasks).toBe(3);
    expect(f.open).toBeUndefined();
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });
});

/** Mon 2 Mar 2026: OCR incident and retry, extra ID step, documents loop, cancelled during the reviews. */
function reworkJournal(): AuditRecord[] {
  const t = bj;
  const r = rec;
  return [
    r('case.started', t('2026-03-02 09:00'), {
      details: { flow: 'test-account-opening', data: { companyId: 'C2', branch: 'b2', channel: 'branch', segment: 'standard', legalPersonId: 'X', idMismatch: true }, priority: 50 },
    }),
    r('node.entered', t('2026-03-02 09:00'), { nodeId: 'start', tokenId: 'tk1', details: { visit: 1 } }),
    r('node.left', t('2026-03-02 09:00'), { nodeId: 'start', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 09:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { visit: 1, via: 'e1' } }),
    r('service.called', t('2026-03-02 09:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { requestId: 'q1', attempt: 1 } }),
    r('service.failed', t('2026-03-02 09:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { requestId: 'q1', attempt: 1, error: { code: 'down' } } }),
    r('incident.raised', t('2026-03-02 09:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { incidentId: 'inc3', code: 'down' } }),
    r('incident.retried', t('2026-03-02 10:00'), { nodeId: 'ocr', tokenId: 'tk1', actor: 'admin', details: { incidentId: 'inc3' } }),
    r('service.called', t('2026-03-02 10:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { requestId: 'q4', attempt: 1 } }),
    r('service.succeeded', t('2026-03-02 10:00'), { nodeId: 'ocr', tokenId: 'tk1', details: { requestId: 'q4', attempt: 1 } }),
    r('node.left', t('2026-03-02 10:00'), { nodeId: 'ocr', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 10:00'), { nodeId: 'gate', tokenId: 'tk1', details: { visit: 1, via: 'e2' } }),
    r('gate.evaluated', t('2026-03-02 10:00'), {
      nodeId: 'gate',
      tokenId: 'tk1',
      details: {
        results: [
          { rule: 'blacklist', fired: false, action: 'stop' },
          { rule: 'pep', fired: false, action: 'flag' },
          { rule: 'id-mismatch', fired: true, action: 'require-step' },
        ],
        action: 'require-step',
      },
      rules: [{ ruleId: 'pep', rule: {}, reads: {}, result: null, error: 'rule.error: bad' }],
    }),
    r('node.left', t('2026-03-02 10:00'), { nodeId: 'gate', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 10:00'), { nodeId: 'second-id', tokenId: 'tk1', details: { visit: 1, via: 'e4' } }),
    r('task.opened', t('2026-03-02 10:00'), { nodeId: 'second-id', tokenId: 'tk1', details: { taskId: 't1', queue: 'risk' } }),
    r('task.claimed', t('2026-03-02 11:00'), { nodeId: 'second-id', actor: 'op-c', details: { taskId: 't1' } }),
    r('task.completed', t('2026-03-02 11:30'), { nodeId: 'second-id', tokenId: 'tk1', actor: 'op-c', details: { taskId: 't1' } }),
    r('node.left', t('2026-03-02 11:30'), { nodeId: 'second-id', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 11:30'), { nodeId: 'first-review', tokenId: 'tk1', details: { visit: 1, via: 'e5' } }),
    r('task.opened', t('2026-03-02 11:30'), { nodeId: 'first-review', tokenId: 'tk1', details: { taskId: 't2', queue: 'ops' } }),
    r('task.claimed', t('2026-03-02 13:00'), { nodeId: 'first-review', actor: 'op-a', details: { taskId: 't2' } }),
    r('task.completed', t('2026-03-02 14:00'), { nodeId: 'first-review', tokenId: 'tk1', actor: 'op-a', details: { taskId: 't2' } }),
    r('node.left', t('2026-03-02 14:00'), { nodeId: 'first-review', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 14:00'), { nodeId: 'docs', tokenId: 'tk1', details: { visit: 1, via: 'e6' } }),
    r('decision.taken', t('2026-03-02 14:00'), { nodeId: 'docs', tokenId: 'tk1', details: { edgeId: 'e8' } }),
    r('node.left', t('2026-03-02 14:00'), { nodeId: 'docs', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-02 14:00'), { nodeId: 'wait-docs', tokenId: 'tk1', details: { visit: 1, via: 'e8' } }),
    r('message.received', t('2026-03-03 10:00'), { nodeId: 'wait-docs', tokenId: 'tk1', details: { name: 'documents' } }),
    r('node.left', t('2026-03-03 10:00'), { nodeId: 'wait-docs', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-03 10:00'), { nodeId: 'first-review', tokenId: 'tk1', details: { visit: 2, via: 'e9' } }),
    r('task.opened', t('2026-03-03 10:00'), { nodeId: 'first-review', tokenId: 'tk1', details: { taskId: 't3', queue: 'ops' } }),
    r('task.claimed', t('2026-03-03 11:00'), { nodeId: 'first-review', actor: 'op-b', details: { taskId: 't3' } }),
    r('task.completed', t('2026-03-03 12:00'), { nodeId: 'first-review', tokenId: 'tk1', actor: 'op-b', details: { taskId: 't3' } }),
    r('node.left', t('2026-03-03 12:00'), { nodeId: 'first-review', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-03 12:00'), { nodeId: 'docs', tokenId: 'tk1', details: { visit: 2, via: 'e6' } }),
    r('decision.taken', t('2026-03-03 12:00'), { nodeId: 'docs', tokenId: 'tk1', details: { edgeId: 'e7' } }),
    r('node.left', t('2026-03-03 12:00'), { nodeId: 'docs', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-03 12:00'), { nodeId: 'split', tokenId: 'tk1', details: { visit: 1, via: 'e7' } }),
    r('node.left', t('2026-03-03 12:00'), { nodeId: 'split', tokenId: 'tk1' }),
    r('node.entered', t('2026-03-03 12:00'), { nodeId: 'ops-review', tokenId: 'tk5', details: { visit: 1, via: 'e10' } }),
    r('task.opened', t('2026-03-03 12:00'), { nodeId: 'ops-review', tokenId: 'tk5', details: { taskId: 't4', queue: 'ops' } }),
    r('node.entered', t('2026-03-03 12:00'), { nodeId: 'risk-review', tokenId: 'tk6', details: { visit: 1, via: 'e11' } }),
    r('task.opened', t('2026-03-03 12:00'), { nodeId: 'risk-review', tokenId: 'tk6', details: { taskId: 't5', queue: 'risk' } }),
    r('task.claimed', t('2026-03-03 14:00'), { nodeId: 'ops-review', actor: 'op-a', details: { taskId: 't4' } }),
    r('task.completed', t('2026-03-03 15:00'), { nodeId: 'ops-review', tokenId: 'tk5', actor: 'op-a', details: { taskId: 't4' } }),
    r('node.left', t('2026-03-03 15:00'), { nodeId: 'ops-review', tokenId: 'tk5' }),
    r('node.entered', t('2026-03-03 15:00'), { nodeId: 'join', tokenId: 'tk5', details: { visit: 1, via: 'e12' } }),
    r('node.left', t('2026-03-03 16:00'), { nodeId: 'risk-review', tokenId: 'tk6', actor: 'cust-svc' }),
    r('node.left', t('2026-03-03 16:00'), { nodeId: 'join', tokenId: 'tk5', actor: 'cust-svc' }),
    r('case.cancelled', t('2026-03-03 16:00'), { actor: 'cust-svc', details: { outcome: 'cancelled', reason: 'customer withdrew' } }),
  ];
}

describe('caseFacts: a hand-built journal with an incident, an extra step, a documents loop and a cancellation', () => {
  const f = caseFacts(flow, reworkJournal(), cal);

  it('ends cancelled with its cycle time and a void case SLA', () => {
    expect(f).toMatchObject({ status: 'cancelled', outcome: 'cancelled', caseSla: 'void', stp: false, humanTasks: 5 });
    // Mon 09:00 → Tue 16:00: 31 h; working 8 h + 7 h.
    expect(f.cycle).toEqual([31 * HOUR, 15 * HOUR]);
  });

  it('counts the documents loop as rework, but not the incident retry', () => {
    expect(f.rework).toBe(2);
    expect(f.nodes['first-review']).toMatchObject({ visits: 2, rework: 1, completed: 2, slaMet: 2 });
    expect(f.nodes.docs).toMatchObject({ visits: 2, rework: 1 });
    expect(f.nodes.ocr).toMatchObject({ visits: 1, calls: 2, failures: 1, incidents: 1, time: [[HOUR, HOUR]] });
    expect(f.nodes.ocr?.rework).toBeUndefined();
    expect(f.incidents).toBe(1);
  });

  it('times each visit of the review and the wait for documents', () => {
    expect(f.nodes['first-review']?.queue).toEqual([
      [90 * MINUTE, 90 * MINUTE],
      [HOUR, HOUR],
    ]);
    expect(f.nodes['first-review']?.handling).toEqual([
      [HOUR, HOUR],
      [HOUR, HOUR],
    ]);
    // Mon 14:00 → Tue 10:00: 20 h, of which Mon 14–17 and Tue 9–10 are working.
    expect(f.nodes['wait-docs']).toMatchObject({ time: [[20 * HOUR, 4 * HOUR]], slaMet: 1 });
    expect(f.nodes['second-id']).toMatchObject({ queue: [[HOUR, HOUR]], handling: [[30 * MINUTE, 30 * MINUTE]] });
  });

  it('does not count work the cancellation cut short', () => {
    expect(f.nodes['risk-review']).toEqual({ kind: 'user-task', visits: 1 });
    expect(f.nodes.join).toEqual({ kind: 'parallel-join', visits: 1 });
    expect(f.milestones.approval).toBeUndefined();
    expect(f.milestones['first-review']).toEqual({ at: bj('2026-03-02 14:00'), span: [5 * HOUR, 5 * HOUR], met: false });
  });

  it('answers the extra-step alert with the second ID check and counts a rule error as fired-closed', () => {
    expect(f.alerts).toEqual([
      { nodeId: 'gate', at: bj('2026-03-02 10:00'), action: 'require-step', rules: ['id-mismatch'], respondedAt: bj('2026-03-02 11:30'), response: [90 * MINUTE, 90 * MINUTE], by: 'op-c' },
    ]);
    expect(f.rules['gate/pep']).toEqual({ nodeId: 'gate', rule: 'pep', action: 'flag', evaluated: 1, fired: 0, errors: 1 });
    expect(f.dims).toEqual({ branch: 'b2', channel: 'branch', segment: 'standard' });
    expect(f.work.map((w) => `${w.actor}@${w.nodeId}`)).toEqual(['op-c@second-id', 'op-a@first-review', 'op-b@first-review', 'op-a@ops-review']);
  });
});

describe('foldFacts: incremental', () => {
  const journals = { 'spring festival': springFestivalCase().audit, rework: reworkJournal() };

  for (const [name, journal] of Object.entries(journals)) {
    it(`gives the same facts whatever the batches (${name})`, () => {
      const whole = foldFacts(flow, undefined, journal, cal);
      for (let k = 1; k < journal.length; k++) {
        // Stored as JSON between steps, as the runtime does.
        const head = JSON.parse(JSON.stringify(foldFacts(flow, undefined, journal.slice(0, k), cal)));
        expect(foldFacts(flow, head, journal.slice(k), cal)).toEqual(whole);
      }
    });
  }

  it('does not modify the facts it is given', () => {
    const journal = reworkJournal();
    const head = foldFacts(flow, undefined, journal.slice(0, 20), cal);
    const copy = structuredClone(head);
    foldFacts(flow, head, journal.slice(20), cal);
    expect(head).toEqual(copy);
  });

  it('keeps a running case open with its open tasks, and gives its age at asOf', () => {
    const journal = reworkJournal().slice(0, 21); // waiting for the first review, claimed by no one
    const f = caseFacts(flow, journal, cal, bj('2026-03-02 15:00'));
    expect(f.status).toBe('waiting');
    expect(f.caseSla).toBe('open');
    expect(f.age).toEqual([6 * HOUR, 6 * HOUR]);
    expect(f.open?.tasks).toEqual({ t2: { node: 'first-review', queue: 'ops', at: bj('2026-03-02 11:30') } });
  });
});

describe('caseFacts: other endings', () => {
  it('counts a blacklist stop as a terminated case with an unanswered stop alert', () => {
    const s = createSimulator(flow, { services, lists: { blacklist: ['BAD'] } });
    s.start({ companyId: 'BAD', branch: 'b1' }, bj('2026-03-02 09:00'));
    const f = caseFacts(flow, s.audit, cal);
    expect(f).toMatchObject({ status: 'terminated', outcome: 'rejected', stp: false, humanTasks: 0, caseSla: 'met' });
    expect(f.alerts).toEqual([{ nodeId: 'gate', at: bj('2026-03-02 09:00'), action: 'stop', rules: ['blacklist'] }]);
    expect(f.rules['gate/blacklist']?.fired).toBe(1);
    expect(f.milestones).toEqual({});
  });

  it('marks the case SLA breached after five working days', () => {
    const s = createSimulator(flow, { services });
    s.start({ companyId: 'C9' }, bj('2026-03-02 09:00'));
    s.advanceTo(bj('2026-03-10 10:00'));
    s.completeTask('first-review', { docsComplete: true }, { id: 'op-a' });
    s.completeTask('ops-review', {}, { id: 'op-a' });
    s.completeTask('risk-review', {}, { id: 'op-b' });
    const f = caseFacts(flow, s.audit, cal);
    expect(s.audit.find((a) => a.type === 'sla.breached' && a.nodeId === undefined)?.at).toBe(bj('2026-03-09 09:00'));
    expect(f.caseSla).toBe('breached');
    expect(f.status).toBe('completed');
    // Straight through means no human task at all; this case had three.
    expect(f.stp).toBe(false);
  });

  it('does not let a node id reach the prototype', () => {
    const journal = [
      rec('case.started', bj('2026-03-02 09:00'), { details: { data: {} } }),
      rec('node.entered', bj('2026-03-02 09:00'), { nodeId: 'constructor', tokenId: 'tk1', details: { visit: 1 } }),
      rec('node.entered', bj('2026-03-02 09:00'), { nodeId: 'constructor', tokenId: 'tk2', details: { visit: 2 } }),
    ];
    const f = caseFacts(flow, journal, cal);
    expect(f.nodes.constructor).toEqual({ kind: 'unknown', visits: 2, rework: 1 });
  });
});

describe('caseFacts: bad journals', () => {
  it('refuses a journal that does not begin with case.started', () => {
    const err = (() => {
      try {
        caseFacts(flow, reworkJournal().slice(1), cal);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(HealthError);
    expect(err).toMatchObject({ code: 'health.journal.start-missing', params: { index: 0, type: 'node.entered' } });
  });

  it('refuses a record without a valid time, naming it', () => {
    const journal = reworkJournal();
    journal[3] = { ...journal[3], at: 'yesterday' } as AuditRecord;
    expect(() => caseFacts(flow, journal, cal)).toThrow(expect.objectContaining({ code: 'health.record.time-invalid', params: expect.objectContaining({ index: 3 }) }));
  });

  it('refuses an empty journal and a second start', () => {
    expect(() => caseFacts(flow, [], cal)).toThrow(expect.objectContaining({ code: 'health.journal.empty' }));
    const j = reworkJournal();
    expect(() => caseFacts(flow, [...j.slice(0, 5), j[0] as AuditRecord], cal)).toThrow(expect.objectContaining({ code: 'health.journal.restarted' }));
  });
});

describe('foldFactsInPlace', () => {
  it('updates the object it is given and gives the same facts as foldFacts', () => {
    const journal = reworkJournal();
    const owned = JSON.parse(JSON.stringify(foldFacts(flow, undefined, journal.slice(0, 30), cal)));
    const out = foldFactsInPlace(flow, owned, journal.slice(30), cal);
    expect(out).toBe(owned);
    expect(out).toEqual(foldFacts(flow, undefined, journal, cal));
  });
});
