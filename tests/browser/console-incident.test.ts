/**
 * An incident is retried after its connector recovers. The SME loan's last step notifies the
 * customer through the `webhook` connector; here its default target is a local HTTP server that
 * answers 503 until the test says it has recovered. The first call fails, the service task has
 * no retries left, and the case raises an incident; the operator finds it in the case monitor,
 * reads the error, and retries it once the target answers again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshot, startProduct, type Product } from './harness';
import { openAs, readCase, startSmeLoan, waitUntil, watchErrors } from './console-support';

describe.skipIf(!browserAvailable())('operations console: an incident is retried after its connector recovers', () => {
  let product: Product;
  let browser: Browser;
  let target: Server;
  let healthy = false;
  const received: { status: number; body: string }[] = [];

  beforeAll(async () => {
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const status = healthy ? 200 : 503;
        received.push({ status, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end(healthy ? '{"accepted":true}' : '{"error":"maintenance"}');
      });
    });
    await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/notify`;
    // The server reads its webhook target from the environment it is started with.
    const before = process.env.FLOWPATH_WEBHOOK_URL;
    process.env.FLOWPATH_WEBHOOK_URL = url;
    try {
      product = await startProduct(['credit-approver']);
    } finally {
      if (before === undefined) delete process.env.FLOWPATH_WEBHOOK_URL;
      else process.env.FLOWPATH_WEBHOOK_URL = before;
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await new Promise((ok) => target?.close(ok));
  });

  it('shows the incident with its error and completes the case after Retry', async () => {
    // given an approved, signed loan whose customer notification fails
    const kase = await startSmeLoan(product, 'S20260311007');
    const task = kase.tasks[0] as { id: string };
    const done = await product.api('operator', 'POST', `/api/tasks/${task.id}/complete`, { data: { creditDecision: 'approve', approvedAmount: 900000, approvedRate: 3.8 } });
    expect(done.status).toBe(200);
    expect((await product.api('app', 'POST', `/api/cases/${kase.id}/messages`, { name: 'contract.signed', data: {} })).status).toBe(200);
    const failed = await waitUntil(() => readCase(product, kase.id), (c) => c.openIncidents > 0, 15_000, 'incident');
    expect(failed.incidents).toEqual([expect.objectContaining({ nodeId: 'notify-disbursed', code: 'webhook.status' })]);
    expect(received.map((r) => r.status)).toEqual([503]);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watchErrors(page);
    await openAs(page, product, 'operator', '#/cases');
    // when the operator looks for cases with an open incident
    await expect.poll(() => page.getByRole('heading', { name: '案件监控' }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('存在异常').selectOption('yes');
    await page.getByRole('button', { name: '查询' }).click();
    const row = page.getByTestId(`case-${kase.id}`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toContain('1 个异常');
    await row.getByRole('link').first().click();

    // then the case page shows the incident, where, and the connector's error
    const incident = page.getByTestId(`incident-${failed.incidents[0]?.id}`);
    await expect.poll(() => incident.textContent(), { timeout: 10_000 }).toContain('推送放款通知');
    expect(await incident.textContent()).toContain('default answered HTTP 503');
    expect(await page.getByTestId('case-graph').getAttribute('data-active')).toBe('notify-disbursed');
    await screenshot(page, 'console-incident');

    // when the target is back and the operator retries
    healthy = true;
    await incident.getByRole('button', { name: '重试 推送放款通知' }).click();
    // then the step runs again and the case ends approved
    await expect.poll(() => page.getByTestId('case-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    expect(await page.getByText('没有未处理的异常。').count()).toBe(1);
    expect(received.map((r) => r.status)).toEqual([503, 200]);
    expect(JSON.parse(received[1]?.body ?? '{}')).toMatchObject({ event: 'loan.disbursed', amount: 900000 });
    const after = await readCase(product, kase.id);
    expect(after).toMatchObject({ status: 'completed', outcome: 'approved', openIncidents: 0 });
    const audit = await product.api<{ items: { type: string; actor: string | null }[] }>('auditor', 'GET', `/api/cases/${kase.id}/audit`);
    expect(audit.body.items.filter((e) => e.type === 'incident.retried').map((e) => e.actor)).toEqual(['operator']);
    await screenshot(page, 'console-incident-retried');
    expect(errors).toEqual([]);
    await page.close();
  });
});
