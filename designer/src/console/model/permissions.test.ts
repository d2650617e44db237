import { describe, expect, it } from 'vitest';
import type { Me } from '../../api/types';
import { homeScreen } from '../ConsoleNav';
import { task } from '../test-fixtures';
import { cancelDependsOnQueues, canCancel, canClaim, canComplete, canReassign, canRelease, canRetryIncident, canSeeWorkList, canSendMessage, canVerifyAudit } from './permissions';

const operator: Me = { name: 'zhang.wei', roles: ['operator', 'credit-approver'], queues: ['credit-approval'] };
const otherQueue: Me = { name: 'wang.fang', roles: ['operator', 'credit-approver'], queues: ['account-opening'] };
const noBusinessRole: Me = { name: 'li.qiang', roles: ['operator'], queues: ['credit-approval'] };
const teamLead: Me = { name: 'chen.jing', roles: ['operator', 'auditor'], queues: ['*'] };
const supervisor: Me = { name: 'zhou.min', roles: ['supervisor'], queues: ['credit-approval'] };
const headOffice: Me = { name: 'sun.li', roles: ['supervisor'], queues: ['*'] };
const auditor: Me = { name: 'audit', roles: ['auditor'], queues: [] };
const app: Me = { name: 'mobile-app', roles: ['app'], queues: [] };
const admin: Me = { name: 'root', roles: ['admin'], queues: [] };

// The same rules as runtime-api/src/routes/tasks.ts and cases.ts; the access-matrix tests hold the API to them.
describe('console permissions', () => {
  const open = task({ id: 't1', roles: ['credit-approver'] });
  const mine = task({ id: 't2', roles: ['credit-approver'], status: 'claimed', assignee: 'zhang.wei' });
  const theirs = task({ id: 't3', roles: ['credit-approver'], status: 'claimed', assignee: 'chen.jing' });
  const done = task({ id: 't4', status: 'completed', completedBy: 'zhang.wei' });

  it('lets an operator of the queue with the business role claim, complete and release their own', () => {
    expect([canClaim(operator, open), canComplete(operator, open), canRelease(operator, open)]).toEqual([true, true, false]);
    expect([canClaim(operator, mine), canComplete(operator, mine), canRelease(operator, mine)]).toEqual([true, true, true]);
    expect([canClaim(operator, theirs), canComplete(operator, theirs), canRelease(operator, theirs)]).toEqual([false, false, false]);
    expect([canClaim(operator, done), canComplete(operator, done)]).toEqual([false, false]);
  });

  it('refuses work to another queue, to a missing business role, and to supervisors, auditors and apps', () => {
    for (const me of [otherQueue, noBusinessRole, supervisor, headOffice, auditor, app]) expect([me.name, canClaim(me, open), canComplete(me, open)]).toEqual([me.name, false, false]);
  });

  it('lets those who work or supervise the queue reassign, and admins anything', () => {
    expect([canReassign(operator, theirs), canReassign(teamLead, theirs), canReassign(otherQueue, theirs), canReassign(auditor, theirs)]).toEqual([true, true, false, false]);
    const elsewhere = task({ id: 't5', queue: 'account-opening' });
    expect([canReassign(supervisor, theirs), canReassign(supervisor, elsewhere), canReassign(headOffice, elsewhere), canReassign(supervisor, done)]).toEqual([true, false, true, false]);
    expect([canClaim(admin, theirs), canRelease(admin, theirs), canReassign(admin, done)]).toEqual([false, true, false]);
  });

  it('gives case actions to the roles the API gives them to', () => {
    expect([operator, teamLead, supervisor, auditor, app, admin].map((me) => [canRetryIncident(me), canSendMessage(me), canVerifyAudit(me)])).toEqual([
      [true, true, false],
      [true, true, true],
      [true, true, false],
      [false, false, true],
      [false, true, false],
      [true, true, true],
    ]);
    // the app that started a case, or an admin, cancels it; operators never
    expect([canCancel(app, 'mobile-app'), canCancel(app, 'branch-pad'), canCancel(teamLead, 'mobile-app'), canCancel(admin, 'mobile-app')]).toEqual([true, false, false, true]);
  });

  it('lets a supervisor cancel the cases of its queues, and one of every queue any case', () => {
    expect([canCancel(supervisor, 'mobile-app', ['credit-approval']), canCancel(supervisor, 'mobile-app', ['account-opening']), canCancel(supervisor, 'mobile-app', [])]).toEqual([true, false, false]);
    expect(canCancel(headOffice, 'mobile-app', [])).toBe(true);
    // only a supervisor of some queues needs the case's task queues to decide
    expect([supervisor, headOffice, app, admin, operator].map((me) => cancelDependsOnQueues(me, 'branch-pad'))).toEqual([true, false, false, false, false]);
  });

  it('shows the work list to operators and auditors and sends each role home', () => {
    expect([operator, supervisor, auditor, app].map(canSeeWorkList)).toEqual([true, true, true, false]);
    expect([operator, teamLead, supervisor, auditor, app, admin, { name: 'a', roles: ['analyst'], queues: [] }].map(homeScreen)).toEqual(['work', 'work', 'cases', 'cases', 'cases', 'flows', 'flows']);
  });
});
