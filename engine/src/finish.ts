import type { CaseStatus } from './case';
import type { Runtime } from './runtime';

/** Ends the case: cancels what is still open, stops clocks, records the outcome. */
export function finishCase(rt: Runtime, status: Exclude<CaseStatus, 'waiting'>, outcome: string, details: Record<string, unknown> = {}): void {
  if (rt.isEnded()) return;
  for (const t of [...rt.state.tokens]) rt.discard(t);
  for (const c of [...rt.state.slas]) rt.stopClock(c.scope);
  rt.state.status = status;
  rt.state.outcome = outcome;
  rt.state.endedAt = rt.now;
  const type = status === 'completed' ? 'case.completed' : status === 'terminated' ? 'case.terminated' : 'case.cancelled';
  rt.record(type, { outcome, ...details });
  rt.effect({
    type: 'event.emit',
    name: type,
    payload: { caseId: rt.state.id, flow: rt.state.flowKey, version: rt.state.version, status, outcome },
  });
}
