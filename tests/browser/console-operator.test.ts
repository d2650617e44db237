/**
 * An operator works an SME loan from its first task to the end in the operations console alone:
 * signs in, finds the task on the work list, claims it, sends the case back for documents with
 * a reason, receives the documents on the case page, approves on the second review, records the
 * signed contract, and sees the loan disbursed. The API is read only to check what the console did.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshot, signIn, startProduct, type Product } from './harness';
import { readCase, startSmeLoan, waitUntil, watchErrors } from './console-support';

interface AuditItem {
  seq: number;
  type: string;
  actor: string | null;
  nodeId?: string;
  details: Record<string, unknown>;
}

describe.skipIf(!browserAvailable())('operations console: an operator works a loan case to the end', () => {
  let product: Product;
  let browser: Browser;
  beforeAll(async () => {
    // The credit review needs the business role credit-approver; the operator key gets it.
    product = await startProduct(['credit-approver']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  /** Opens the task of `customer` from the work list and claims it. */
  async function claimFromWorkList(page: Page, customer: string): Promise<void> {
    await page.getByRole('link', { name: '我的工作', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: customer });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    // the row counts the time left in working time on the flow's calendar
    await expect.poll(() => row.locator('[data-sla]').getAttribute('data-sla')).toBe('ok');
    await row.getByRole('link', { name: '授信审批' }).click();
    await page.getByRole('button', { name: '认领' }).click();
    await expect.poll(() => page.getByTestId('task-state').textContent()).toContain('已认领 · 我');
  }

  it('claims, sends back with a reason, approves after the documents arrive, and sees the loan disbursed', async () => {
    const started = Date.now();
    const kase = await startSmeLoan(product, 'S20260302015');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);

    // The operator signs in; an operator's home is the work list.
    await signIn(page, product, 'operator');
    await expect.poll(() => page.getByRole('heading', { name: '我的工作' }).count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'console-work-list');

    // First review: claim, then send back for documents with what the customer must bring.
    await claimFromWorkList(page, 'S20260302015');
    // Why the case is here: the admission rules passed and instant approval did not apply.
    await expect.poll(() => page.getByText('准入与反欺诈规则').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('条件均不满足，默认进入 授信审批').count()).toBe(1);
    // No decision is pre-selected for the operator.
    expect(await page.getByLabel('同意').isChecked()).toBe(false);
    await screenshot(page, 'console-task');
    await page.getByRole('button', { name: '退回补件' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    // an empty reason is refused in the dialog
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('请填写原因。');
    await dialog.getByLabel('补件要求').fill('请补充近6个月银行流水及2025年审计报告');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '任务已办结' }).textContent(), { timeout: 10_000 }).toContain('等待客户补充资料');

    // The reason is in the audit trail with the decision and who made it.
    const audit = (await product.api<{ items: AuditItem[] }>('auditor', 'GET', `/api/cases/${kase.id}/audit`)).body.items;
    const returned = audit.find((e) => e.type === 'task.completed');
    expect(returned).toMatchObject({ actor: 'operator', nodeId: 'credit-review', details: { data: { creditDecision: 'return', returnReason: '请补充近6个月银行流水及2025年审计报告' } } });

    // The customer's documents arrive: the operator records them on the case page.
    await page.getByRole('link', { name: '查看案件' }).click();
    await expect.poll(() => page.getByTestId('case-graph').getAttribute('data-active'), { timeout: 10_000 }).toBe('wait-documents');
    await page.getByRole('button', { name: '发送消息' }).click();
    expect(await page.getByRole('dialog').getByLabel('消息名称').inputValue()).toBe('documents.submitted');
    await page.getByRole('dialog').getByLabel('数据（JSON 对象）').fill('{"documentsNote": "银行流水6个月、审计报告"}');
    await page.getByRole('dialog').getByRole('button', { name: '发送' }).click();
    await expect.poll(() => page.getByTestId('case-graph').getAttribute('data-active'), { timeout: 10_000 }).toBe('credit-review');

    // Second review: the new task is on the work list; approve with amount and rate.
    await claimFromWorkList(page, 'S20260302015');
    await page.getByLabel('同意').check();
    await page.getByLabel('批准金额（元）').fill('800000');
    // a rate above the form's maximum is refused before anything is sent, in the operator's language
    await page.getByLabel('执行利率（%）').fill('30');
    await page.getByRole('button', { name: '提交办结' }).click();
    await expect.poll(() => page.getByText('“执行利率（%）”不能大于 24。').count()).toBe(1);
    await screenshot(page, 'console-task-validation');
    await page.getByLabel('执行利率（%）').fill('3.95');
    await page.getByLabel('审批意见').fill('经营稳定，下调额度至80万元');
    await page.getByRole('button', { name: '提交办结' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '任务已办结' }).textContent(), { timeout: 10_000 }).toContain('等待客户线上签署借款合同');

    // The customer signs; the operator records it and the case runs to disbursement.
    await page.getByRole('link', { name: '查看案件' }).click();
    await page.getByRole('button', { name: '发送消息' }).click();
    expect(await page.getByRole('dialog').getByLabel('消息名称').inputValue()).toBe('contract.signed');
    await page.getByRole('dialog').getByRole('button', { name: '发送' }).click();
    await expect.poll(() => page.getByTestId('case-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    expect(await page.getByTestId('case-status').textContent()).toBe('已办结 · approved');
    // the path runs through both reviews to the end, and nothing waits any more
    expect(await page.getByTestId('case-graph').getAttribute('data-active')).toBe('');
    await screenshot(page, 'console-case-completed');

    const done = await readCase(product, kase.id);
    expect(done).toMatchObject({ status: 'completed', outcome: 'approved', tasks: [] });
    const trail = (await product.api<{ items: AuditItem[] }>('auditor', 'GET', `/api/cases/${kase.id}/audit`)).body.items;
    expect(trail.filter((e) => e.type === 'task.completed').map((e) => (e.details.data as Record<string, unknown>).creditDecision)).toEqual(['return', 'approve']);
    expect(trail.filter((e) => e.type === 'message.received').map((e) => [e.details.name, e.actor])).toEqual([
      ['documents.submitted', 'operator'],
      ['contract.signed', 'operator'],
    ]);
    // the work list no longer has the case
    const open = await product.api<{ items: unknown[] }>('operator', 'GET', `/api/tasks?caseId=${kase.id}`);
    expect(open.body.items).toEqual([]);
    expect(errors).toEqual([]);
    console.log(`operator journey: ${Date.now() - started} ms`);
    await page.close();
  });

  it('shows a colleague’s claim on the work list without a reload, with a branch filter on', async () => {
    // given the operator's work list open on a waiting task, filtered to its branch
    const kase = await startSmeLoan(product, 'S20260302099', 'credit-review', { branchId: 'SH-PD-01' });
    await startSmeLoan(product, 'S20260302098');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, product, 'operator', 'en');
    const row = page.getByRole('row').filter({ hasText: 'S20260302099' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('form', { name: 'Work list filters' }).getByRole('textbox', { name: 'Branch' }).fill('SH-PD-01');
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'S20260302098' }).count(), { timeout: 10_000 }).toBe(0);
    // the row shows the branch it came from, carried by the task itself
    expect(await row.getByRole('cell').nth(4).textContent()).toBe('SH-PD-01');
    expect(await row.getByRole('button', { name: /^Claim/ }).count()).toBe(1);
    // when a colleague claims it through the API
    const task = kase.tasks[0] as { id: string };
    expect((await product.api('colleague', 'POST', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    // then within a poll the row shows who holds it and no longer offers a claim
    await expect.poll(() => row.getByRole('cell').nth(5).textContent(), { timeout: 12_000 }).toBe('wang.fang');
    expect(await row.getByRole('button', { name: /^Claim/ }).count()).toBe(0);
    await waitUntil(() => readCase(product, kase.id), (c) => c.tasks[0]?.assignee === 'wang.fang');
    await page.close();
  });
});
