/**
 * A supervisor (the `supervisor` role, decision 0050) finds a case whose time limit was breached
 * in the case monitor and gives its task to a colleague chosen from the queue's operators, with a
 * reason that the audit trail then shows. The breach is real: a small flow with a two-second
 * limit is published through the API, a case is started, and the server's scheduler breaches it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshot, startProduct, type Product } from './harness';
import { openAs, readCase, startSmeLoan, waitUntil, watchErrors } from './console-support';

/** An urgent review with a two-second limit in calendar time, in the credit-approval queue. */
const drillFlow = {
  key: 'console-drill',
  name: { 'zh-CN': '加急复核演练', en: 'Urgent review drill' },
  owner: 'ops',
  caseSchema: {
    type: 'object',
    properties: {
      customerId: { type: 'string', customerRef: true, title: { 'zh-CN': '客户号', en: 'Customer ID' } },
      branchId: { type: 'string', dimension: true, title: { 'zh-CN': '网点', en: 'Branch' } },
      decision: { type: 'string', enum: ['approve', 'reject'], title: { 'zh-CN': '结论', en: 'Decision' } },
    },
    required: ['customerId'],
  },
  nodes: [
    { id: 'start', kind: 'start', name: { 'zh-CN': '受理', en: 'Received' }, position: { x: 0, y: 0 } },
    {
      id: 'review',
      kind: 'user-task',
      name: { 'zh-CN': '加急复核', en: 'Urgent review' },
      queue: 'credit-approval',
      position: { x: 220, y: 0 },
      sla: { duration: 'PT2S', mode: 'calendar' },
      form: {
        fields: [
          {
            key: 'decision',
            label: { 'zh-CN': '结论', en: 'Decision' },
            type: 'enum',
            required: true,
            options: [
              { value: 'approve', label: { 'zh-CN': '同意', en: 'Approve' } },
              { value: 'reject', label: { 'zh-CN': '拒绝', en: 'Reject' } },
            ],
          },
        ],
      },
    },
    { id: 'end', kind: 'end', outcome: 'done', name: { 'zh-CN': '办结', en: 'Done' }, position: { x: 440, y: 0 } },
  ],
  edges: [
    { id: 'start--review', source: 'start', target: 'review' },
    { id: 'review--end', source: 'review', target: 'end' },
  ],
};

const REASON = 'Breached: the customer is waiting and wang.fang has capacity today';

describe.skipIf(!browserAvailable())('operations console: a supervisor reassigns a breached case', () => {
  let product: Product;
  let browser: Browser;
  beforeAll(async () => {
    product = await startProduct();
    browser = await launchBrowser();
    expect((await product.api('owner', 'POST', '/api/flows', drillFlow)).status).toBe(201);
    expect((await product.api('owner', 'POST', '/api/flows/console-drill/versions', { note: 'two-second limit for the console test' })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('finds the breached case by filter, sees the limit red, and gives the task to a colleague with a reason', async () => {
    // given one breached case and one on time (a flow without a short limit)
    const late = await product.api<{ id: string }>('app', 'POST', '/api/cases', { flow: 'console-drill', data: { customerId: 'D-2026-001', branchId: 'SH-PD-001' } });
    expect(late.status).toBe(201);
    const breached = await waitUntil(() => readCase(product, late.body.id), (c) => c.breached, 15_000, 'breach');
    expect(breached.tasks).toHaveLength(1);

    // and two loan reviews: one of 3.5 million (priority 60), one ordinary (50, due T+1)
    await startSmeLoan(product, 'S20260312001', 'credit-review', { requestedAmount: 3500000 });
    await startSmeLoan(product, 'S20260312002');

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchErrors(page);
    // The supervisor's work list: highest priority first, then the earliest due; the breach in red.
    await openAs(page, product, 'supervisor', '#/work', 'en');
    const rows = page.locator('[data-testid^="task-"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(async () => (await rows.allTextContents()).map((t) => /S20260312001|D-2026-001|S20260312002/.exec(t)?.[0] ?? '?'), { timeout: 10_000 }).toEqual([
      'S20260312001',
      'D-2026-001',
      'S20260312002',
    ]);
    expect(await rows.nth(0).textContent()).toContain('Priority');
    expect(await rows.nth(1).locator('[data-sla]').getAttribute('data-sla')).toBe('breached');
    expect(await rows.nth(2).locator('[data-sla]').getAttribute('data-sla')).toBe('ok');
    await screenshot(page, 'console-work-list-en');

    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Cases' }).count(), { timeout: 15_000 }).toBe(1);

    // when the supervisor filters for breached cases
    await page.getByLabel('Time limit breached').selectOption('yes');
    await page.getByRole('button', { name: 'Search' }).click();
    // then only breached cases are listed, this one among them, marked
    const row = page.getByTestId(`case-${late.body.id}`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toContain('Breached');
    const listed = await page.locator('tbody tr').count();
    const serverBreached = await product.api<{ items: unknown[] }>('supervisor', 'GET', '/api/cases?breached=true');
    expect(listed).toBe(serverBreached.body.items.length);
    // and the search is in the address, so it can be shared
    expect(page.url()).toContain('#/cases?breached=yes');
    await screenshot(page, 'console-breached-search');

    // when the case is opened
    await row.getByRole('link').first().click();
    const task = page.getByTestId('open-task-review');
    await expect.poll(() => task.locator('[data-sla]').getAttribute('data-sla'), { timeout: 10_000 }).toBe('breached');
    expect(await task.textContent()).toMatch(/overdue/);
    // the breach shows in the timers and the audit trail as well
    await expect.poll(() => page.getByRole('table', { name: 'Timers' }).textContent()).toContain('Time limit');
    expect(await page.getByRole('table', { name: /Audit trail/ }).textContent()).toContain('Time limit breached');

    // and the task is given to a colleague of the same queue, chosen from the queue's operators
    await task.getByRole('button', { name: 'Reassign Urgent review' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ask a colleague' });
    const colleague = dialog.getByLabel('Colleague');
    const operators = await product.api<{ items: { name: string }[] }>('supervisor', 'GET', '/api/queues/credit-approval/operators');
    expect(operators.body.items.map((o) => o.name)).toEqual(['operator', 'wang.fang']);
    await expect.poll(() => colleague.locator('option').allTextContents(), { timeout: 10_000 }).toEqual(['Nobody: leave it in queue credit-approval', 'operator', 'wang.fang']);
    await colleague.selectOption('wang.fang');
    // without a reason nothing is sent: the dialog says why
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Say why the task moves; the reason is recorded in the audit trail.');
    expect((await readCase(product, late.body.id)).tasks[0]).toMatchObject({ status: 'open', assignee: null });
    await dialog.getByLabel('Reason').fill(REASON);
    await screenshot(page, 'console-reassign-dialog');
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Task reassigned.' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => task.textContent()).toContain('wang.fang · queue credit-approval');
    // then the audit trail on the case page shows the move with its reason, and who made it
    const move = page.getByRole('table', { name: /Audit trail/ }).getByRole('row').filter({ hasText: 'Task reassigned' });
    await expect.poll(() => move.count(), { timeout: 10_000 }).toBe(1);
    expect(await move.textContent()).toContain('→ wang.fang');
    expect(await move.getByTestId('audit-reason').textContent()).toBe(REASON);
    expect(await move.getByRole('cell').last().textContent()).toBe('supervisor');
    await move.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'console-reassigned');

    // and the API agrees
    const after = await readCase(product, late.body.id);
    expect(after.tasks[0]).toMatchObject({ status: 'claimed', assignee: 'wang.fang', queue: 'credit-approval' });
    const audit = await product.api<{ items: { type: string; actor: string; details: Record<string, unknown> }[] }>('auditor', 'GET', `/api/cases/${late.body.id}/audit`);
    expect(audit.body.items.filter((e) => e.type === 'task.reassigned')).toEqual([
      expect.objectContaining({
        actor: 'supervisor',
        details: expect.objectContaining({ from: { queue: 'credit-approval', assignee: null }, to: { queue: 'credit-approval', assignee: 'wang.fang' }, reason: REASON }),
      }),
    ]);
    // the supervisor works no task itself: the task page offers Ask a colleague but no claim or
    // complete, and the API refuses the same call
    await page.goto(`${product.url}/#/work/${after.tasks[0]?.id}`);
    await expect.poll(() => page.getByRole('button', { name: 'Ask a colleague' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByText('You can read this task but not work it.').count()).toBe(1);
    expect(await page.getByRole('button', { name: /^(Claim|Complete)$/ }).count()).toBe(0);
    expect((await product.api('supervisor', 'POST', `/api/tasks/${after.tasks[0]?.id}/complete`, { data: { decision: 'approve' } })).status).toBe(403);
    expect(errors).toEqual([]);
    await page.close();
  });
});
