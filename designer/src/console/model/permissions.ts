/**
 * What the signed-in caller may do in the console, decided by the same rules the runtime API
 * applies (runtime-api/src/http/auth.ts, routes/tasks.ts, routes/cases.ts and the roles of each
 * operation in the OpenAPI document). A button the API would refuse is not offered; the API
 * still decides, so a stale answer here costs a refused request, never a forbidden change.
 */
import type { Task } from '../../api/console-types';
import type { Me } from '../../api/types';

/** Has one of `roles` (admin has every role). */
export function hasAnyRole(me: Me, ...roles: string[]): boolean {
  return me.roles.includes('admin') || roles.some((r) => me.roles.includes(r));
}

const listsQueue = (me: Me, queue: string) => me.queues.includes('*') || me.queues.includes(queue);

/** Works the tasks of `queue`: admin, or an operator of that queue (or of every queue, `*`). */
export function worksQueue(me: Me, queue: string): boolean {
  return me.roles.includes('admin') || (me.roles.includes('operator') && listsQueue(me, queue));
}

/** Supervises `queue`: admin, or a supervisor of that queue (or of every queue, `*`); sees and reassigns its tasks without working them. */
export function supervisesQueue(me: Me, queue: string): boolean {
  return me.roles.includes('admin') || (me.roles.includes('supervisor') && listsQueue(me, queue));
}

/** May open the work list (GET /api/tasks). */
export function canSeeWorkList(me: Me): boolean {
  return hasAnyRole(me, 'operator', 'supervisor', 'auditor');
}

/** May work the task at all: its queue (or it is assigned to them) and one of its business roles. */
function mayWork(me: Me, task: Task): boolean {
  if (me.roles.includes('admin')) return true;
  if (!me.roles.includes('operator')) return false;
  if (!worksQueue(me, task.queue) && task.assignee !== me.name) return false;
  return task.roles.length === 0 || task.roles.some((r) => me.roles.includes(r));
}

const live = (task: Task) => task.status === 'open' || task.status === 'claimed';

/** Claim: an open task one may work, or one's own claim again. */
export function canClaim(me: Me, task: Task): boolean {
  return live(task) && mayWork(me, task) && (task.status === 'open' || task.assignee === me.name);
}

/** Release: one's own claim (admin: anyone's). */
export function canRelease(me: Me, task: Task): boolean {
  if (task.status !== 'claimed') return false;
  if (me.roles.includes('admin')) return true;
  return me.roles.includes('operator') && task.assignee === me.name;
}

/** Complete: an open task or one's own claim, of a queue one works. */
export function canComplete(me: Me, task: Task): boolean {
  return live(task) && mayWork(me, task) && (task.status === 'open' || task.assignee === me.name);
}

/** Reassign: those who work or supervise the task's queue, admin. */
export function canReassign(me: Me, task: Task): boolean {
  return live(task) && (worksQueue(me, task.queue) || supervisesQueue(me, task.queue));
}

/** Retry an incident: operators, supervisors and admin. */
export function canRetryIncident(me: Me): boolean {
  return hasAnyRole(me, 'operator', 'supervisor');
}

/** Send a message to a waiting case: apps, operators and supervisors. */
export function canSendMessage(me: Me): boolean {
  return hasAnyRole(me, 'app', 'operator', 'supervisor');
}

/**
 * Cancel: the app that started the case, admin, or a supervisor of a queue the case has or had a
 * task in (`taskQueues`: the queues of the case's tasks this caller can see), of any case with `*`.
 */
export function canCancel(me: Me, createdBy: string, taskQueues: readonly string[] = []): boolean {
  if (me.roles.includes('admin') || (me.roles.includes('app') && createdBy === me.name)) return true;
  return me.roles.includes('supervisor') && (me.queues.includes('*') || taskQueues.some((q) => supervisesQueue(me, q)));
}

/** Whether cancelling needs the case's task queues to decide (a supervisor of some queues only). */
export function cancelDependsOnQueues(me: Me, createdBy: string): boolean {
  return !canCancel(me, createdBy) && me.roles.includes('supervisor') && !me.queues.includes('*');
}

/** Verify the audit chain: auditors, owners, admin. */
export function canVerifyAudit(me: Me): boolean {
  return hasAnyRole(me, 'auditor', 'owner');
}
