import { describe, expect, it } from 'vitest';
import type { CaseState, Effect } from './case';
import { cnMainlandCalendar } from './calendar';
import { loanFlow } from './fixtures/loan-flow';
import type { FlowDefinition } from './model';
import { createSimulator } from './simulator';
import { isRejected, step } from './step';

// Monday 2026-03-02 09:30 in Shanghai.
const MONDAY_0930 = '2026-03-02T01:30:00.000Z';
const ocr = { ocr: { licenceNo: '91310000MA1K' } };

function sim(lists: Record<string, string[]> = {}, flow: FlowDefinition = loanFlow()) {
  return createSimulator(flow, { lists, services: ocr });
}

describe('step: loan flow paths', () => {
  it('takes the whitelist green channel straight to approval with no human task', () => {
    // given a whitelisted company asking for a small amount
    const s = sim({ whitelist: ['C1'] });
    // when the case starts
    s.start({ companyId: 'C1', amount: 200000 }, MONDAY_0930);
    // then it completes approved without opening a task
    expect(s.state?.status).toBe('completed');
    expect(s.state?.outcome).toBe('approved');
    expect(s.path).toEqual(['start', 'ocr', 'gate', 'route', 'auto', 'decide', 'end-approved']);
    expect(s.state?.data.licenceNo).toBe('91310000MA1K');
  });

  it('routes a default-sized loan to one review task and approves on completion', () => {
    const s = sim();
    s.start({ companyId: 'C2', amount: 800000 }, MONDAY_0930);
    expect(s.waitingAt()).toEqual(['review']);
    const task = s.findTask('review');
    expect(task?.queue).toBe('credit-approval');
    expect(task?.dueAt).toBe('2026-03-02T05:30:00.000Z'); // 4 working hours later: 13:30 local
    expect(s.completeTask('review', { approved: true }).ok).toBe(true);
    expect(s.state?.outcome).toBe('approved');
    expect(s.tasks.size).toBe(0);
    expect(s.timers.size).toBe(0);
  });

  it('stops a blacklisted applicant at the gate with an alert and no tasks', () => {
    const s = sim({ blacklist: ['BAD'] });
    s.start({ companyId: 'BAD', amount: 100 }, MONDAY_0930);
    expect(s.state?.status).toBe('terminated');
    expect(s.state?.outcome).toBe('rejected');
    expect(s.path).not.toContain('route');
    expect(s.events.some((e) => e.type === 'event.emit' && e.name === 'compliance.alert')).toBe(true);
    const gate = s.audit.find((a) => a.type === 'gate.evaluated');
    expect(gate?.rules?.find((r) => r.ruleId === 'blacklist')?.reads).toEqual({ companyId: 'BAD' });
  });

  it('flags a high debt ratio for the reviewer and carries on', () => {
    const s = sim();
    s.start({ companyId: 'C3', amount: 800000, debtRatio: 0.82 }, MONDAY_0930);
    expect(s.state?.flags.map((f) => f.code)).toEqual(['debt-ratio']);
    expect(s.waitingAt()).toEqual(['review']);
  });

  it('sends a litigation record through the extra step before routing', () => {
    const s = sim();
    s.start({ companyId: 'C4', amount: 800000, litigation: true }, MONDAY_0930);
    expect(s.waitingAt()).toEqual(['second-id']);
    s.completeTask('second-id', { secondIdOk: true });
    expect(s.waitingAt()).toEqual(['review']);
  });

  it('runs the joint review in parallel and joins when both are done, in either order', () => {
    for (const order of [['risk', 'credit'], ['credit', 'risk']] as const) {
      const s = sim();
      s.start({ companyId: 'C5', amount: 5000000 }, MONDAY_0930);
      expect(s.waitingAt().sort()).toEqual(['credit', 'risk']);
      s.completeTask(order[0], order[0] === 'risk' ? { riskOpinion: 'ok' } : { creditOpinion: 'ok' });
      expect(s.waitingAt()).toHaveLength(2); // one branch waits at the join
      s.completeTask(order[1], order[1] === 'risk' ? { riskOpinion: 'ok' } : { creditOpinion: 'ok' });
      expect(s.waitingAt()).toEqual(['approve']);
      expect(s.state?.tokens).toHaveLength(1);
    }
  });

  it('refuses completion by the same person under the four-eyes rule', () => {
    const s = sim();
    s.start({ companyId: 'C6', amount: 5000000 }, MONDAY_0930);
    s.completeTask('risk', { riskOpinion: 'ok' }, { id: 'li' });
    s.completeTask('credit', { creditOpinion: 'ok' }, { id: 'wang' });
    const r = s.completeTask('approve', { approved: true }, { id: 'wang' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.rejected.code).toBe('task.four-eyes');
    expect(s.completeTask('approve', { approved: false }, { id: 'zhao' }).ok).toBe(true);
    expect(s.state?.outcome).toBe('rejected');
  });

  it('rejects task data that breaks the form, with the path of the field', () => {
    const s = sim();
    s.start({ companyId: 'C7', amount: 800000 }, MONDAY_0930);
    const r = s.completeTask('review', { approved: 'yes' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejected.code).toBe('task.data.invalid');
      expect(r.rejected.params.issues).toEqual([expect.objectContaining({ code: 'form.type', path: '/data/approved' })]);
    }
    expect(s.waitingAt()).toEqual(['review']);
  });

  it('rejects start data that breaks the case schema', () => {
    const s = sim();
    const r = s.start({ companyId: 'C8', amount: -5 }, MONDAY_0930);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rejected.params.issues).toEqual([expect.objectContaining({ code: 'data.minimum', path: '/data/amount' })]);
  });

  it('gives strategic clients a higher case priority, inherited by their tasks', () => {
    const s = sim();
    s.start({ companyId: 'C9', amount: 800000, segment: 'strategic' }, MONDAY_0930);
    expect(s.state?.priority).toBe(90);
    expect(s.findTask('review')?.priority).toBe(90);
  });
});

describe('step: SLA in working time', () => {
  it('warns an hour before and escalates at the 4-working-hour limit: reassign and raise priority', () => {
    const s = sim();
    s.start({ companyId: 'C10', amount: 800000 }, MONDAY_0930);
    s.advance('PT2H59M');
    expect(s.audit.some((a) => a.type === 'sla.warned')).toBe(false);
    s.advance('PT1M'); // 12:30 local: one working hour left
    expect(s.audit.filter((a) => a.type === 'sla.warned')).toHaveLength(1);
    s.advance('PT1H');
    expect(s.state?.breaches).toEqual(['review']);
    expect(s.findTask('review')?.queue).toBe('credit-senior');
    expect(s.findTask('review')?.priority).toBe(80);
  });

  it('counts working hours only: a Friday afternoon task is due on Monday morning', () => {
    const s = sim();
    s.start({ companyId: 'C11', amount: 800000 }, '2026-03-06T07:00:00.000Z'); // Fri 15:00
    expect(s.findTask('review')?.dueAt).toBe('2026-03-09T03:00:00.000Z'); // Mon 11:00
  });

  it('skips the Spring Festival holiday and works the make-up Saturday', () => {
    const s = sim();
    s.start({ companyId: 'C12', amount: 800000 }, '2026-02-13T07:00:00.000Z'); // Fri 13 Feb 15:00
    // 2 hours on Friday, then Saturday 14 Feb is a make-up working day: due 11:00 that Saturday.
    expect(s.findTask('review')?.dueAt).toBe('2026-02-14T03:00:00.000Z');
  });

  it('cancels the SLA timers when the task is done in time', () => {
    const s = sim();
    s.start({ companyId: 'C13', amount: 800000 }, MONDAY_0930);
    expect([...s.timers.values()].map((t) => t.purpose).sort()).toEqual(['sla.breach', 'sla.breach', 'sla.warn']);
    s.completeTask('review', { approved: true });
    expect(s.timers.size).toBe(0);
  });
});

describe('step: service tasks', () => {
  it('retries a failed call with backoff, then raises an incident an operator can retry', () => {
    const s = createSimulator(loanFlow(), {});
    s.start({ companyId: 'C14', amount: 800000 }, MONDAY_0930);
    expect(s.waitingAt()).toEqual(['ocr']);
    s.serviceError('ocr', { code: 'ocr.down', message: 'timeout' });
    expect([...s.timers.values()].some((t) => t.purpose === 'service.retry')).toBe(true);
    s.advance('PT1M');
    expect(s.calls.size).toBe(1);
    s.serviceError('ocr', { code: 'ocr.down', message: 'timeout' });
    expect(s.state?.incidents.map((i) => i.code)).toEqual(['ocr.down']);
    s.retryIncident('ocr');
    expect(s.state?.incidents).toEqual([]);
    s.serviceResult('ocr', { licenceNo: 'X' });
    expect(s.waitingAt()).toEqual(['review']);
  });
});

describe('step: purity and state', () => {
  it('is deterministic: the same input and now give the same output', () => {
    const flow = loanFlow();
    const env = { calendar: cnMainlandCalendar };
    const input = { type: 'start' as const, caseId: 'k1', version: 1, data: { companyId: 'C', amount: 800000 } };
    expect(step(flow, null, input, MONDAY_0930, env)).toEqual(step(flow, null, input, MONDAY_0930, env));
  });

  it('never mutates the state it is given', () => {
    const flow = loanFlow();
    const env = { calendar: cnMainlandCalendar };
    const first = step(flow, null, { type: 'start', caseId: 'k2', version: 1, data: { companyId: 'C', amount: 800000 } }, MONDAY_0930, env);
    if (isRejected(first)) throw new Error('rejected');
    const frozen = JSON.stringify(first.state);
    const req = (first.effects.find((e) => e.type === 'service.call') as Extract<Effect, { type: 'service.call' }>).requestId;
    step(flow, first.state, { type: 'service.result', requestId: req, ok: true, data: {} }, MONDAY_0930, env);
    expect(JSON.stringify(first.state)).toBe(frozen);
  });

  it('resumes from a JSON round-trip of the state mid-case', () => {
    const s = sim();
    s.start({ companyId: 'C15', amount: 5000000 }, MONDAY_0930);
    s.completeTask('risk', { riskOpinion: 'ok' });
    const copy = JSON.parse(JSON.stringify(s.state)) as CaseState;
    const taskId = s.findTask('credit')?.taskId as string;
    const out = step(loanFlow(), copy, { type: 'task.completed', taskId, data: { creditOpinion: 'ok' } }, MONDAY_0930, { calendar: cnMainlandCalendar });
    expect(isRejected(out)).toBe(false);
    if (!isRejected(out)) expect(out.state.tokens.map((t) => t.nodeId)).toEqual(['approve']);
  });

  it('refuses inputs for a case that has ended or a task that is not open', () => {
    const s = sim();
    s.start({ companyId: 'C16', amount: 800000 }, MONDAY_0930);
    expect(s.completeTask('nope').ok).toBe(false);
    s.cancel('customer withdrew');
    expect(s.state?.status).toBe('cancelled');
    expect(s.tasks.size).toBe(0);
    const r = s.message('documents.submitted');
    expect(!r.ok && r.rejected.code).toBe('case.ended');
  });

  it('records an audit entry for every decision with the rule, the values read and the version', () => {
    const s = sim({ whitelist: ['C1'] });
    s.start({ companyId: 'C1', amount: 200000 }, MONDAY_0930);
    const d = s.audit.find((a) => a.type === 'decision.taken' && a.nodeId === 'route');
    expect(d?.details).toMatchObject({ edgeId: 'e6', default: false });
    expect(d?.rules?.[0]?.reads).toEqual({ companyId: 'C1', amount: 200000 });
    expect(d?.version).toBe(1);
  });
});

describe('step: waits and rework loops', () => {
  const rework: FlowDefinition = {
    key: 'rework',
    name: { en: 'Rework', 'zh-CN': '补件' },
    caseSchema: { type: 'object', properties: { complete: { type: 'boolean' }, docs: { type: 'array' } } },
    nodes: [
      { id: 's', kind: 'start', name: { en: 's', 'zh-CN': 's' } },
      { id: 'check', kind: 'user-task', name: { en: 'Check', 'zh-CN': '审核' }, queue: 'ops', form: { fields: [{ key: 'complete', type: 'boolean', label: { en: 'Complete', 'zh-CN': '齐全' }, required: true }] } },
      { id: 'ok', kind: 'decision', name: { en: 'Complete?', 'zh-CN': '齐全?' } },
      { id: 'docs', kind: 'wait', name: { en: 'Wait for documents', 'zh-CN': '等待补件' }, message: 'documents.submitted', sla: { duration: 'PT72H' } },
      { id: 'e', kind: 'end', name: { en: 'Done', 'zh-CN': '完成' }, outcome: 'completed' },
      { id: 'x', kind: 'end', name: { en: 'Expired', 'zh-CN': '超时' }, outcome: 'expired' },
    ],
    edges: [
      { id: 'a', source: 's', target: 'check' },
      { id: 'b', source: 'check', target: 'ok' },
      { id: 'c', source: 'ok', target: 'e', condition: { var: 'complete' } },
      { id: 'd', source: 'ok', target: 'docs', default: true },
      { id: 'f', source: 'docs', target: 'check' },
      { id: 'g', source: 'docs', target: 'x', port: 'timeout' },
    ],
  };

  it('loops back for more documents and counts the visits', () => {
    const s = createSimulator(rework);
    s.start({}, MONDAY_0930);
    s.completeTask('check', { complete: false });
    expect(s.waitingAt()).toEqual(['docs']);
    expect(s.message('documents.submitted', { docs: ['licence.pdf'] }).ok).toBe(true);
    s.completeTask('check', { complete: true });
    expect(s.state?.status).toBe('completed');
    expect(s.state?.visits.check).toBe(2);
    expect(s.state?.data.docs).toEqual(['licence.pdf']);
  });

  it('leaves by the timeout exit when the customer does not answer in 72 hours', () => {
    const s = createSimulator(rework);
    s.start({}, MONDAY_0930);
    s.completeTask('check', { complete: false });
    s.advance('PT72H');
    expect(s.state?.outcome).toBe('expired');
    expect(s.state?.breaches).toEqual(['docs']);
  });

  it('refuses a message nobody waits for', () => {
    const s = createSimulator(rework);
    s.start({}, MONDAY_0930);
    const r = s.message('documents.submitted');
    expect(!r.ok && r.rejected.code).toBe('message.not-awaited');
  });
});
