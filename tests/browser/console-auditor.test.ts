/**
 * An auditor verifies a case's audit chain in the console and cannot change anything: the
 * buttons that change a case or a task are absent or disabled, and the API refuses the same
 * calls for the auditor's key. A role that may not see personal data sees it masked in the page,
 * and the unmasked values appear nowhere in it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshot, startProduct, type Product } from './harness';
import { openAs, readCase, startSmeLoan, waitUntil, watchErrors, type CaseView } from './console-support';

describe.skipIf(!browserAvailable())('operations console: an auditor verifies a chain and changes nothing', () => {
  let product: Product;
  let browser: Browser;
  let kase: CaseView;
  beforeAll(async () => {
    product = await startProduct(['credit-approver']);
    browser = await launchBrowser();
    // A case with some history: claimed by the operator, then released, waiting at credit review.
    kase = await startSmeLoan(product, 'S20260320042');
    const task = kase.tasks[0] as { id: string };
    expect((await product.api('operator', 'POST', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    expect((await product.api('operator', 'POST', `/api/tasks/${task.id}/release`)).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('verifies the chain of a case and finds every changing control absent or disabled', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openAs(page, product, 'auditor', '#/cases');
    const row = page.getByTestId(`case-${kase.id}`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByRole('link').first().click();

    // when the auditor verifies the chain
    await page.getByRole('button', { name: '校验哈希链' }).click();
    // then the result names how many entries were checked, the same as the server counts
    const verdict = await product.api<{ ok: boolean; entries: number }>('auditor', 'GET', `/api/cases/${kase.id}/audit/verify`);
    expect(verdict.body.ok).toBe(true);
    await expect.poll(() => page.getByTestId('verify-result').textContent(), { timeout: 10_000 }).toBe(
      `哈希链完整：已校验 ${verdict.body.entries} 条记录，无篡改、插入或删除。`,
    );
    // and the trail shows the operator's claim and release with the actor
    const trail = page.getByRole('table', { name: /审计轨迹/ });
    expect(await trail.textContent()).toMatch(/任务认领.*operator/);
    expect(await trail.textContent()).toMatch(/任务退回队列.*operator/);
    await screenshot(page, 'console-audit-verified');

    // and nothing that changes the case is offered
    for (const name of ['发送消息', '撤销案件', '转派', '重试']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    }
    // the personal data is shown: auditors may read it
    expect(await page.getByTestId('data-legalPersonIdNumber').textContent()).toContain('320586198807153326');

    // on the task itself: the form is read-only and there is no claim, complete, send back or reassign
    await page.getByTestId('open-task-credit-review').getByRole('link').click();
    await expect.poll(() => page.getByText('您可以查看此任务，但无权办理。').count(), { timeout: 10_000 }).toBe(1);
    for (const name of ['认领', '提交办结', '退回补件', '转交同事', '退回队列']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await page.getByLabel('同意').isDisabled()).toBe(true);
    expect(await page.getByLabel('审批意见').isDisabled()).toBe(true);

    // on the work list: rows but no claim buttons
    await page.getByRole('link', { name: '我的工作', exact: true }).click();
    const taskRow = page.getByRole('row').filter({ hasText: 'S20260320042' });
    await expect.poll(() => taskRow.count(), { timeout: 10_000 }).toBe(1);
    expect(await taskRow.getByRole('button').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is refused by the API for every change the console does not offer', async () => {
    const task = (await readCase(product, kase.id)).tasks[0] as { id: string };
    const calls: [string, string, unknown][] = [
      ['POST', `/api/tasks/${task.id}/claim`, undefined],
      ['POST', `/api/tasks/${task.id}/release`, undefined],
      ['POST', `/api/tasks/${task.id}/complete`, { data: { creditDecision: 'approve' } }],
      ['POST', `/api/tasks/${task.id}/reassign`, { assignee: 'operator' }],
      ['POST', `/api/cases/${kase.id}/messages`, { name: 'documents.submitted', data: {} }],
      ['POST', `/api/cases/${kase.id}/cancel`, { reason: 'audit test' }],
      ['POST', `/api/cases/${kase.id}/incidents/none/retry`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const r = await product.api('auditor', method, path, body);
      expect([path, r.status]).toEqual([path, 403]);
    }
    // and the case is exactly as it was
    const after = await readCase(product, kase.id);
    expect(after).toMatchObject({ status: 'waiting', waitingAt: ['credit-review'] });
    expect(after.tasks[0]).toMatchObject({ status: 'open', assignee: null });
  });

  it('shows personal data masked to a role that may not see it, and never the raw values', async () => {
    // given an analyst (reads cases, sees personal data masked)
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openAs(page, product, 'analyst', `#/cases/${kase.id}`);
    const idCell = page.getByTestId('data-legalPersonIdNumber');
    await expect.poll(() => idCell.count(), { timeout: 15_000 }).toBe(1);
    const apiView = await product.api<{ data: Record<string, string> }>('analyst', 'GET', `/api/cases/${kase.id}`);
    const masked = apiView.body.data.legalPersonIdNumber as string;
    expect(masked).not.toBe('320586198807153326');
    // then the page shows what the API returned, says why, and holds none of the raw values
    expect(await idCell.textContent()).toContain(masked);
    expect(await page.getByText('根据您的角色，个人敏感信息已脱敏显示。').count()).toBe(1);
    await waitUntil(() => page.getByRole('table', { name: /审计轨迹/ }).count(), (n) => n === 1);
    const html = await page.content();
    for (const raw of ['320586198807153326', '13962112345', '李娜']) expect(html.includes(raw), raw).toBe(false);
    await page.close();
  });
});
