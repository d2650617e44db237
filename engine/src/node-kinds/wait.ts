import { addDuration } from '../calendar';
import { mergeData } from '../data-path';
import type { Issue, WaitNode } from '../model';
import { durationSchema, slaRef } from '../schema/refs';
import { defineKind } from './types';

/** Waits for the outside world: a named message (documents, a signature, a callback) or a timer. */
export const wait = defineKind<WaitNode>({
  kind: 'wait',
  versions: [1],
  properties: {
    message: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,99}$' },
    timer: {
      type: 'object',
      required: ['duration'],
      additionalProperties: false,
      properties: { duration: durationSchema, mode: { enum: ['calendar', 'working'] } },
    },
    sla: slaRef,
  },
  required: [],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 }, ports: ['timeout'] },
  validate(node, ctx) {
    const issues: Issue[] = [];
    if (node.message === undefined && node.timer === undefined) issues.push({ code: 'wait.trigger.missing', severity: 'error', path: ctx.path, params: {}, nodeId: node.id });
    if (node.message !== undefined && node.timer !== undefined) issues.push({ code: 'wait.trigger.multiple', severity: 'error', path: ctx.path, params: {}, nodeId: node.id });
    if (node.timer) issues.push(...ctx.duration(node.timer.duration, `${ctx.path}/timer/duration`));
    if (ctx.outgoing.some((e) => e.port === 'timeout') && !node.sla) issues.push({ code: 'wait.timeout.no-sla', severity: 'error', path: ctx.path, params: {}, nodeId: node.id });
    return issues;
  },
  enter(node, token, rt) {
    if (node.sla) rt.startClock(token.id, node.sla, node.id);
    if (node.timer) {
      const timerId = rt.nextId('wt');
      const dueAt = addDuration(rt.env.calendar, rt.now, node.timer.duration, node.timer.mode ?? 'calendar');
      rt.wait(token, { type: 'timer', timerId });
      rt.effect({ type: 'timer.schedule', timerId, dueAt, purpose: 'wait.timer', nodeId: node.id });
      return;
    }
    rt.wait(token, { type: 'message', message: node.message as string });
  },
  resume(node, token, input, rt) {
    const w = token.wait;
    if (input.type === 'message' && w?.type === 'message' && w.message === input.name) {
      mergeData(rt.state.data, input.data);
      rt.record('message.received', { name: input.name, data: input.data ?? {} }, { nodeId: node.id, tokenId: token.id });
      rt.takeDefault(token);
      return;
    }
    if (input.type === 'timer.fired' && w?.type === 'timer' && w.timerId === input.timerId) {
      rt.record('timer.fired', { timerId: input.timerId }, { nodeId: node.id, tokenId: token.id });
      rt.takeDefault(token);
    }
  },
});
