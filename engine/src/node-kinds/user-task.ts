import type { TaskSpec } from '../case';
import { mergeData, setPath } from '../data-path';
import { validateTaskData } from '../forms';
import type { Issue, UserTaskNode } from '../model';
import { Rejection } from '../runtime';
import { localizedTextRef, priorityRef, slaRef } from '../schema/refs';
import { defineKind } from './types';

const fieldTypes = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum'];

/** Work for a person: a task in a queue, with a form, a priority and an SLA. */
export const userTask = defineKind<UserTaskNode>({
  kind: 'user-task',
  versions: [1],
  properties: {
    queue: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    roles: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } },
    priority: priorityRef,
    sla: slaRef,
    notCompletedBy: { type: 'array', maxItems: 20, items: { type: 'string' } },
    form: {
      type: 'object',
      required: ['fields'],
      additionalProperties: false,
      properties: {
        fields: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            required: ['key', 'label', 'type'],
            additionalProperties: false,
            properties: {
              key: { type: 'string', minLength: 1, maxLength: 200 },
              label: localizedTextRef,
              type: { enum: fieldTypes },
              required: { type: 'boolean' },
              options: {
                type: 'array',
                maxItems: 200,
                items: {
                  type: 'object',
                  required: ['value', 'label'],
                  additionalProperties: false,
                  properties: { value: { type: 'string' }, label: localizedTextRef },
                },
              },
              minimum: { type: 'number' },
              maximum: { type: 'number' },
              maxLength: { type: 'integer', minimum: 1 },
              pattern: { type: 'string', maxLength: 500 },
              readOnly: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
  required: ['queue'],
  arity: { incoming: { min: 1 }, outgoing: { min: 1, max: 1 } },
  validate(node, ctx) {
    const issues: Issue[] = [];
    const seen = new Set<string>();
    node.form?.fields.forEach((f, i) => {
      const p = `${ctx.path}/form/fields/${i}`;
      if (seen.has(f.key)) issues.push({ code: 'form.field.duplicate', severity: 'error', path: `${p}/key`, params: { field: f.key }, nodeId: node.id });
      seen.add(f.key);
      issues.push(...ctx.field(f.key, `${p}/key`));
      if (f.type === 'enum' && !(f.options && f.options.length > 0)) {
        issues.push({ code: 'form.options.missing', severity: 'error', path: `${p}/options`, params: { field: f.key }, nodeId: node.id });
      }
      if (f.pattern !== undefined && !isValidRegExp(f.pattern)) {
        issues.push({ code: 'form.pattern.invalid', severity: 'error', path: `${p}/pattern`, params: { field: f.key }, nodeId: node.id });
      }
    });
    if (typeof node.priority === 'object' && node.priority !== null) issues.push(...ctx.rule(node.priority.rule, `${ctx.path}/priority/rule`));
    for (const [i, other] of (node.notCompletedBy ?? []).entries()) {
      if (!ctx.flow.nodes.some((n) => n.id === other && n.kind === 'user-task')) {
        issues.push({ code: 'task.four-eyes.node-missing', severity: 'error', path: `${ctx.path}/notCompletedBy/${i}`, params: { node: other }, nodeId: node.id });
      }
    }
    return issues;
  },
  enter(node, token, rt) {
    const taskId = `${rt.state.id}-${rt.nextId('t')}`;
    const priority = resolvePriority(node.priority, rt.state.priority, (rule) => rt.evaluate(rule).result);
    const clock = node.sla ? rt.startClock(token.id, node.sla, node.id) : undefined;
    const excludedActors = (node.notCompletedBy ?? []).map((n) => rt.state.completedBy[n]).filter((a): a is string => a !== undefined);
    const task: TaskSpec = {
      taskId,
      tokenId: token.id,
      nodeId: node.id,
      name: node.name,
      queue: node.queue,
      roles: node.roles ?? [],
      priority,
      form: node.form?.fields ?? [],
      excludedActors,
    };
    if (clock) {
      task.dueAt = clock.dueAt;
      if (clock.warnAt !== undefined) task.warnAt = clock.warnAt;
    }
    rt.wait(token, { type: 'task', taskId });
    rt.effect({ type: 'task.open', task });
    rt.record('task.opened', { taskId, queue: node.queue, priority, ...(clock ? { dueAt: clock.dueAt } : {}) }, { nodeId: node.id, tokenId: token.id });
  },
  resume(node, token, input, rt) {
    if (input.type !== 'task.completed') return;
    const actorId = input.actor?.id;
    const wait = token.wait;
    if (wait?.type !== 'task') return;
    const excluded = (node.notCompletedBy ?? []).map((n) => rt.state.completedBy[n]).filter((a) => a !== undefined);
    if (actorId !== undefined && excluded.includes(actorId)) {
      throw new Rejection({ code: 'task.four-eyes', params: { taskId: wait.taskId, actor: actorId } });
    }
    const fields = node.form?.fields ?? [];
    const issues = validateTaskData(fields, input.data ?? {});
    if (issues.some((i) => i.severity === 'error')) {
      throw new Rejection({ code: 'task.data.invalid', params: { taskId: wait.taskId, issues } });
    }
    const data = input.data ?? {};
    const written: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.readOnly || !Object.prototype.hasOwnProperty.call(data, f.key)) continue;
      setPath(rt.state.data, f.key, data[f.key]);
      written[f.key] = data[f.key];
    }
    if (fields.length === 0) mergeData(rt.state.data, data);
    if (actorId !== undefined) rt.state.completedBy[node.id] = actorId;
    rt.effect({ type: 'task.close', taskId: wait.taskId, reason: 'completed' });
    rt.record('task.completed', { taskId: wait.taskId, data: fields.length === 0 ? data : written }, { nodeId: node.id, tokenId: token.id });
    rt.takeDefault(token);
  },
});

/** A node's or flow's priority: a number, a rule, or the fallback; clamped to 0..100. */
export function resolvePriority(p: UserTaskNode['priority'], fallback: number, evaluate: (rule: unknown) => unknown): number {
  let v: unknown = p;
  if (typeof p === 'object' && p !== null) v = evaluate(p.rule);
  if (p === undefined) v = fallback;
  const n = typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  return Math.max(0, Math.min(100, Math.round(n)));
}

function isValidRegExp(p: string): boolean {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}
