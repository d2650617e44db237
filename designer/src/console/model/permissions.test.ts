import { describe, expect, it } from 'vitest';
import type { Me } from '../../api/types';
import { homeScreen } from '../ConsoleNav';
import { task } from '../test-fixtures';
import { canCancel, canClaim, canComplete, canReassign, canRelease, canRetryIncident, canSeeWorkList, canSendMessage, canVerifyAudit } from './permissions';

const operator: Me = { name: 'zhang.wei', roles: ['operator', 'credit-approver'], queues: ['credit-approval'] };
const otherQueue: Me = { name: 'wang.fang', roles: ['operator', 'credit-approver'], queues: ['account-opening'] };
const noBusinessRole: Me = { name: 'li.qiang', roles: ['operator'], queues: ['credit-approval'] };
const supervisor: Me = { name: 'chen.jing', roles: ['operator', 'auditor'], queues: ['*'] };
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

  it('refuses work to another queue, to a missing business role, and to auditors and apps', () => {
    for (const me of [otherQueue, noBusinessRole, auditor, app]) expect([me.name, canClaim(me, open), canComplete(me, open)]).toEqual([me.name, false, false]);
  });

  it('lets those who work the queue reassign, and admins anything', () => {
    expect([canReassign(operator, theirs), canReassign(supervisor, theirs), canReassign(otherQueue, theirs), canReassign(auditor, theirs)]).toEqual([true, true, false, false]);
    expect([canClaim(admin, theirs), canRelease(admin, theirs), canReassign(admin, done)]).toEqual([false, true, false]);
  });

  it('gives case actions to the roles the API gives them to', () => {
    expect([operator, supervisor, auditor, app, admin].map((me) => [canRetryIncident(me), canSendMessage(me), canVerifyAudit(me)])).toEqual([
      [true, true, false],
      [true, true, true],
      [false, false, true],
      [false, true, false],
      [true, true, true],
    ]);
    // only the app that started a case, or an admin, cancels it
    expect([canCancel(app, 'mobile-app'), canCancel(app, 'branch-pad'), canCancel(supervisor, 'mobile-app'), canCancel(admin, 'mobile-app')]).toEqual([true, false, false, true]);
  });

  it('shows the work list to operators and auditors and sends each role home', () => {
    expect([operator, auditor, app].map(canSeeWorkList)).toEqual([true, true, false]);
    expect([operator, supervisor, auditor, app, admin, { name: 'a', roles: ['analyst'], queues: [] }].map(homeScreen)).toEqual(['work', 'work', 'cases', 'cases', 'flows', 'flows']);
  });
});
