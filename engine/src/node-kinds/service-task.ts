import { parseDuration } from '../calendar';
import { getPath, setPath } from '../data-path';
import type { Issue, ServiceTaskNode } from '../model';
import type { Runtime } from '../runtime';
import { durationSchema } from '../schema/refs';
import type { Token } from '../case';
import { defineKind } from './types';

const DEFAULT_BACKOFF_MS = 10_000;

/** Calls a named connector (OCR, credit bureau, core banking...) and maps its result into the case. */
export const serviceTask = defineKind<ServiceTaskNode>({
  kind: 'service-task',
  versions: [1],
  properties: {
    connector: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
    input: { type: 'object', maxProperties: 100, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
    output: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 200 } },
    retry: {
      type: 'object',
      required: ['maxAttempts'],
      additionalProperties: false,
      properties: { maxAttempts: { type: 'integer', minimum: 1, maximum: 20 }, backoff: durationSchema },
    },
    timeout: durationSchema,
  },
  required: ['connector'],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 }, ports: ['error'] },
  validate(node, ctx) {
    const issues: Issue[] = [];
    if (ctx.connectors && !ctx.connectors.includes(node.connector)) {
      issues.push({ code: 'service.connector.unknown', severity: 'error', path: `${ctx.path}/connector`, params: { connector: node.connector }, nodeId: node.id });
    }
    for (const [k, rule] of Object.entries(node.input ?? {})) issues.push(...ctx.rule(rule, `${ctx.path}/input/${k}`));
    for (const k of Object.keys(node.output ?? {})) issues.push(...ctx.field(k, `${ctx.path}/output/${escapePointer(k)}`));
    if (node.retry?.backoff !== undefined) issues.push(...ctx.duration(node.retry.backoff, `${ctx.path}/retry/backoff`));
    if (node.timeout !== undefined) issues.push(...ctx.duration(node.timeout, `${ctx.path}/timeout`));
    return issues;
  },
  enter(node, token, rt) {
    call(node, token, rt, 1);
  },
  resume(node, token, input, rt) {
    const wait = token.wait;
    if (input.type === 'service.result' && wait?.type === 'service' && wait.requestId === input.requestId) {
      if (input.ok) {
        const mapped: Record<string, unknown> = {};
        const missing: string[] = [];
        for (const [field, from] of Object.entries(node.output ?? {})) {
          const v = from === '' || from === '.' ? input.data : getPath(input.data, from);
          // A value the connector did not return leaves the field as it was: writing null would
          // put a value of the wrong type into typed case data.
          if (v === undefined) {
            missing.push(field);
            continue;
          }
          setPath(rt.state.data, field, v);
          mapped[field] = v;
        }
        rt.record(
          'service.succeeded',
          { requestId: wait.requestId, attempt: wait.attempt, result: input.data, mapped, ...(missing.length ? { missing } : {}) },
          { nodeId: node.id, tokenId: token.id },
        );
        rt.takeDefault(token);
        return;
      }
      rt.record('service.failed', { requestId: wait.requestId, attempt: wait.attempt, error: input.error }, { nodeId: node.id, tokenId: token.id });
      const max = node.retry?.maxAttempts ?? 1;
      if (wait.attempt < max) {
        const backoff = durationMs(node.retry?.backoff) ?? DEFAULT_BACKOFF_MS;
        const delay = backoff * 2 ** (wait.attempt - 1);
        const retryTimerId = rt.nextId('retry');
        rt.effect({ type: 'timer.schedule', timerId: retryTimerId, dueAt: new Date(Date.parse(rt.now) + delay).toISOString(), purpose: 'service.retry', nodeId: node.id });
        rt.wait(token, { ...wait, retryTimerId });
        return;
      }
      const errorEdge = rt.portEdge(node.id, 'error');
      rt.state.data.lastError = { nodeId: node.id, code: input.error.code, message: input.error.message };
      if (errorEdge) rt.take(token, errorEdge);
      else rt.raiseIncident(token, input.error.code, input.error.message);
      return;
    }
    if (input.type === 'timer.fired' && wait?.type === 'service' && wait.retryTimerId === input.timerId) {
      call(node, token, rt, wait.attempt + 1, wait.requestId);
      return;
    }
    if (input.type === 'incident.retry' && wait?.type === 'incident' && wait.incidentId === input.incidentId) {
      rt.state.incidents = rt.state.incidents.filter((i) => i.id !== input.incidentId);
      rt.record('incident.retried', { incidentId: input.incidentId }, { nodeId: node.id, tokenId: token.id });
      call(node, token, rt, 1);
    }
  },
});

function call(node: ServiceTaskNode, token: Token, rt: Runtime, attempt: number, requestId = `${rt.state.id}-${rt.nextId('svc')}`): void {
  const input: Record<string, unknown> = {};
  const traces = [];
  for (const [k, rule] of Object.entries(node.input ?? {})) {
    const trace = rt.evaluate(rule, k);
    traces.push(trace);
    input[k] = trace.result;
  }
  const timeoutMs = durationMs(node.timeout);
  rt.wait(token, { type: 'service', requestId, attempt });
  rt.effect({ type: 'service.call', requestId, nodeId: node.id, connector: node.connector, input, attempt, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  rt.record('service.called', { requestId, connector: node.connector, attempt, input }, { nodeId: node.id, tokenId: token.id, rules: traces });
}

/** Milliseconds of a calendar-time ISO duration; undefined when absent or invalid. */
function durationMs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const d = parseDuration(s);
  return d.ok && d.value.kind === 'fixed' ? d.value.ms : undefined;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
