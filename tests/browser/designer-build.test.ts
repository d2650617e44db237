/**
 * An analyst builds a loan flow from an empty canvas in Chinese, the way a person would: drag
 * steps from the palette, draw edges handle to handle, fill in the side panel, write the
 * decision rule in the builder, see and fix a problem, save and publish. Then an application
 * starts a case through the API and an operator finds its task.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, centreOf, connectNodes, dropFromPalette, failureShot, launchBrowser, openDesigner, zoomOutTo, ROLE_KEYS, screenshot, startProduct, type Product } from './harness';

const HANDLES = { out: '出口', in: '入口' };

/** Node ids on the canvas, in document order. */
async function nodeIds(page: Page): Promise<string[]> {
  const ids = await page.locator('.react-flow__node [data-testid^="node-"]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { testid?: string } }).dataset.testid ?? ''));
  return ids.map((id) => id.slice('node-'.length));
}

/** Fills a text field that commits on blur or Enter, and commits it. */
async function commit(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

describe.skipIf(!browserAvailable())('an analyst builds and publishes a loan flow from an empty canvas (zh-CN)', () => {
  let product: Product;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await failureShot(page, ctx.task.name);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('refuses a wrong key, then signs in with the owner key and lists the template flows', async () => {
    await openDesigner(page, product, 'zh-CN');
    await expect.poll(() => page.getByRole('heading', { name: '登录 Flowpath' }).isVisible()).toBe(true);
    await page.getByLabel('API 密钥').fill('not-a-key-of-this-bank');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('服务器不接受此密钥。');
    await page.getByLabel('API 密钥').fill(ROLE_KEYS.owner.key);
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: '登录' }).click();

    const flows = page.getByRole('table', { name: '流程' });
    await expect.poll(() => flows.getByRole('link', { name: '小微企业贷款（预授信+白名单）', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('owner（owner, analyst）').isVisible()).toBe(true);
    // The template row says which version is the default.
    await expect.poll(() => page.getByTestId('flow-sme-loan').getByText('v1（默认 v1）').isVisible()).toBe(true);
    await page.getByLabel('筛选流程').fill('贷款');
    await expect.poll(() => flows.getByRole('row').count()).toBeGreaterThan(1);
    expect(await flows.getByRole('link', { name: /开户/ }).count()).toBe(0);
    await screenshot(page, 'flow-list');
    await page.getByLabel('筛选流程').fill('');
  });

  it('creates a blank flow, empties the canvas and drops five steps from the palette', async () => {
    await page.getByRole('button', { name: '新建流程' }).click();
    const dialog = page.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('流程标识（小写字母、数字、短横线）').fill('Loan Demo');
    await dialog.getByLabel('名称（中文）').fill('演示贷款');
    await dialog.getByLabel('名称（英文）').fill('Demo loan');
    await dialog.getByRole('button', { name: '创建' }).click();
    // A key with capitals and a space is refused with the rule it breaks.
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('标识须以小写字母开头');
    await dialog.getByLabel('流程标识（小写字母、数字、短横线）').fill('loan-demo');
    await dialog.getByRole('button', { name: '创建' }).click();

    await expect.poll(() => page.getByRole('heading', { name: /演示贷款/ }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => nodeIds(page)).toEqual(['start', 'end']);
    // Select everything on the canvas and delete it: an empty canvas, and the engine says so.
    await page.getByRole('region', { name: '流程画布' }).click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeIds(page)).toEqual([]);
    await expect.poll(() => page.getByRole('region', { name: '问题' }).getByText('流程缺少开始节点。').isVisible()).toBe(true);
    // Make room: zoom out with the canvas control until steps show at their normal size.
    await zoomOutTo(page, '缩小', 1);

    await dropFromPalette(page, 'start', { x: 120, y: 260 });
    await dropFromPalette(page, 'decision', { x: 350, y: 260 });
    await dropFromPalette(page, 'user-task', { x: 590, y: 140 });
    await dropFromPalette(page, 'end', { x: 820, y: 140 });
    await dropFromPalette(page, 'end', { x: 590, y: 400 });
    await expect.poll(() => nodeIds(page)).toEqual(['start-1', 'decision-1', 'task-1', 'end-1', 'end-2']);
    // Each dropped step carries its kind's name in the current language.
    await expect.poll(() => page.getByTestId('node-task-1').textContent()).toContain('人工任务');
  });

  it('connects the steps by dragging from handle to handle', async () => {
    await connectNodes(page, 'start-1', 'decision-1', HANDLES);
    await connectNodes(page, 'decision-1', 'task-1', HANDLES);
    await connectNodes(page, 'task-1', 'end-1', HANDLES);
    await connectNodes(page, 'decision-1', 'end-2', HANDLES);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    // The first edge out of a decision became its default path.
    await expect.poll(() => page.locator('.react-flow__edge-textwrapper, .edge-label').filter({ hasText: '默认' }).count()).toBe(1);
    // Edges that can never be right are refused with the reason.
    await connectNodes(page, 'decision-1', 'task-1', HANDLES);
    await expect.poll(() => page.getByText('这条连线已经存在').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    // The notice goes away by itself.
    await expect.poll(() => page.getByText('这条连线已经存在').count(), { timeout: 8000 }).toBe(0);
  });

  it('names the steps and sets the queue in the property panel', async () => {
    await page.getByTestId('node-task-1').click();
    const panel = page.getByRole('tabpanel', { name: '属性' });
    await expect.poll(() => panel.getByRole('heading', { name: /人工任务/ }).isVisible()).toBe(true);
    await commit(page, '名称 (中文)', '人工审批');
    await commit(page, '名称 (英文)', 'Manual review');
    await commit(page, '队列', 'credit-review');
    await expect.poll(() => page.getByTestId('node-task-1').textContent()).toContain('人工审批');
    await expect.poll(() => page.getByTestId('node-task-1').textContent()).toContain('队列: credit-review');
    await screenshot(page, 'property-panel');

    await page.getByTestId('node-decision-1').click();
    await commit(page, '名称 (中文)', '金额是否超过 50 万？');
    await commit(page, '名称 (英文)', 'Amount over 500k?');
    await page.getByTestId('node-end-1').click();
    await commit(page, '名称 (中文)', '人工审批通过');
    await commit(page, '名称 (英文)', 'Approved after review');
    await commit(page, '结果', 'approved');
    await page.getByTestId('node-end-2').click();
    await commit(page, '名称 (中文)', '自动通过');
    await commit(page, '名称 (英文)', 'Approved automatically');
    await commit(page, '结果', 'auto-approved');
    await expect.poll(() => page.getByTestId('node-end-2').textContent()).toContain('结果: auto-approved');
  });

  it('declares the case data: an amount the rules can read', async () => {
    await page.getByRole('tab', { name: '案件数据' }).click();
    const tab = page.getByRole('tabpanel', { name: '案件数据' });
    await tab.getByLabel('新字段（嵌套用点，如 customer.tier）').fill('amount');
    await tab.getByLabel('类型', { exact: true }).selectOption({ label: '数字' });
    await tab.getByRole('button', { name: '添加字段' }).click();
    await tab.getByLabel('新字段（嵌套用点，如 customer.tier）').fill('customerId');
    await tab.getByLabel('类型', { exact: true }).selectOption({ label: '文本' });
    await tab.getByRole('button', { name: '添加字段' }).click();
    await expect.poll(() => tab.getByRole('rowheader').allTextContents()).toEqual(['amount', 'customerId']);
    await tab.getByLabel('amount 必填').check();
    await tab.getByLabel('customerId 必填').check();
    await tab.getByText('amount：标题、可选值、格式').click();
    await commit(page, 'amount 的中文标题', '申请金额');
    await commit(page, 'amount 的英文标题', 'Amount');
    expect(await tab.getByLabel('amount 的类型').inputValue()).toBe('number');
    expect(await tab.getByLabel('customerId 的类型').inputValue()).toBe('string');
    await screenshot(page, 'case-schema');
  });

  it('writes the decision rule with the builder and sees the missing default in the problems panel', async () => {
    const problems = page.getByRole('region', { name: '问题' });
    // The path to manual review: untick default, then amount > 500000.
    await page.getByTestId('node-decision-1').click();
    const panel = page.getByRole('tabpanel', { name: '属性' });
    await panel.getByRole('button', { name: /→ 人工审批: 默认/ }).click();
    await expect.poll(() => panel.getByRole('heading', { name: /连线/ }).isVisible()).toBe(true);
    await panel.getByLabel('默认路径（其他条件都不成立时）').uncheck();

    const missing = problems.getByRole('button', { name: /条件分支需要一条默认路径/ });
    await expect.poll(() => missing.isVisible()).toBe(true);

    const rule = panel.getByRole('group', { name: '走此路径的条件' });
    await rule.getByRole('button', { name: '+ 条件', exact: true }).click();
    await rule.getByRole('combobox', { name: '字段' }).selectOption({ label: '申请金额 (amount)' });
    await rule.getByRole('combobox', { name: '运算符' }).selectOption({ label: '大于' });
    await rule.getByRole('spinbutton', { name: '值' }).fill('500000');
    await expect.poll(() => rule.locator('.rule-preview').textContent()).toMatch(/申请金额.*500000/);
    await rule.getByRole('button', { name: 'JSON' }).click();
    expect(JSON.parse(await rule.getByLabel('规则（json-logic）').inputValue())).toEqual({ '>': [{ var: 'amount' }, 500000] });
    await rule.getByRole('button', { name: '可视化' }).click();
    await screenshot(page, 'rule-builder');
    // Leaving the rule editor commits the rule; the edge says what it checks.
    await page.getByRole('region', { name: '流程画布' }).click({ position: { x: 20, y: 20 } });
    await expect.poll(() => page.locator('.edge-label').filter({ hasText: '500000' }).count()).toBe(1);

    // The problem is listed in Chinese and marked on the decision; a click selects it.
    // Left: no default at all, and the path to the automatic end has neither condition nor default.
    await expect.poll(() => problems.getByRole('status').textContent()).toBe('2 个错误，0 个警告');
    await expect.poll(() => problems.getByRole('listitem').allTextContents()).toEqual([
      '错误 条件分支需要一条默认路径（所有条件都不满足时走此路径）。 decision-1',
      '错误 此分支路径既没有条件也不是默认路径。 decision-1',
    ]);
    await expect.poll(() => page.getByTestId('node-decision-1').getByRole('status').getAttribute('aria-label')).toBe('2 个问题');
    await screenshot(page, 'problems');
    await missing.click();
    await expect.poll(() => panel.getByRole('heading', { name: /判断/ }).textContent()).toContain('decision-1');
    await expect.poll(() => page.locator('.react-flow__node.selected [data-testid="node-decision-1"]').count()).toBe(1);
    // …and brought to the middle of the canvas.
    const canvas = (await page.getByRole('region', { name: '流程画布' }).boundingBox())!;
    await expect
      .poll(async () => {
        const node = await centreOf(page.getByTestId('node-decision-1'));
        return Math.round(Math.hypot(node.x - (canvas.x + canvas.width / 2), node.y - (canvas.y + canvas.height / 2)));
      })
      .toBeLessThan(10);

    // Fix: the path to the automatic end becomes the default.
    await panel.getByRole('button', { name: /→ 自动通过/ }).click();
    await panel.getByLabel('默认路径（其他条件都不成立时）').check();
    await expect.poll(() => problems.getByRole('status').textContent()).toBe('没有发现问题');
    await expect.poll(() => page.getByTestId('node-decision-1').getByRole('status').count()).toBe(0);
  });

  it('saves the draft and publishes version 1 with a note', async () => {
    const toolbar = page.getByRole('toolbar', { name: '编辑工具栏' });
    await expect.poll(() => toolbar.getByRole('status').textContent()).toBe('有未保存的修改');
    await toolbar.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => toolbar.getByRole('status').textContent()).toMatch(/^已保存（修订 \d+）$/);
    const saved = await product.api<{ definition: { nodes: { id: string }[]; edges: { source: string; target: string; default?: boolean; condition?: unknown }[] } }>('analyst', 'GET', '/api/flows/loan-demo/draft');
    expect(saved.body.definition.nodes.map((n) => n.id).sort()).toEqual(['decision-1', 'end-1', 'end-2', 'start-1', 'task-1']);
    expect(saved.body.definition.edges.find((e) => e.target === 'task-1' && e.source === 'decision-1')?.condition).toEqual({ '>': [{ var: 'amount' }, 500000] });
    expect(saved.body.definition.edges.find((e) => e.target === 'end-2')?.default).toBe(true);

    await toolbar.getByRole('button', { name: '发布…' }).click();
    const dialog = page.getByRole('dialog', { name: '发布新版本' });
    await dialog.getByRole('button', { name: '发布' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('请填写发布说明。');
    await dialog.getByLabel('发布说明').fill('首个版本：50 万以上人工审批');
    await expect.poll(() => dialog.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'publish');
    await dialog.getByRole('button', { name: '发布' }).click();
    await expect.poll(() => page.getByText('已发布版本 1。').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await dialog.count()).toBe(0);

    const versions = await product.api<{ items: { version: number; note?: string; publishedBy?: string }[] }>('owner', 'GET', '/api/flows/loan-demo/versions');
    expect(versions.body.items.map((v) => [v.version, v.note, v.publishedBy])).toEqual([[1, '首个版本：50 万以上人工审批', 'owner']]);
  });

  it('starts cases through the API: a large amount waits for manual review in credit-review, a small one is approved at once', async () => {
    const big = await product.api<{ id: string; status: string; version: number }>('app', 'POST', '/api/cases', { flow: 'loan-demo', data: { customerId: 'C-1001', amount: 800000 } });
    expect(big.status).toBe(201);
    expect(big.body).toMatchObject({ status: 'waiting', version: 1 });
    const tasks = await product.api<{ items: { caseId: string; queue: string; nodeId: string; status: string }[] }>('operator', 'GET', `/api/tasks?caseId=${encodeURIComponent(big.body.id)}`);
    expect(tasks.status).toBe(200);
    expect(tasks.body.items.map((t) => [t.nodeId, t.queue, t.status])).toEqual([['task-1', 'credit-review', 'open']]);

    const small = await product.api<{ id: string; status: string; outcome?: string }>('app', 'POST', '/api/cases', { flow: 'loan-demo', data: { customerId: 'C-1002', amount: 120000 } });
    expect(small.body).toMatchObject({ status: 'completed', outcome: 'auto-approved' });
    const none = await product.api<{ items: unknown[] }>('operator', 'GET', `/api/tasks?caseId=${encodeURIComponent(small.body.id)}`);
    expect(none.body.items).toEqual([]);

    // Missing required data is refused with the field that is missing.
    const bad = await product.api<{ code: string; errors?: { path: string }[] }>('app', 'POST', '/api/cases', { flow: 'loan-demo', data: { customerId: 'C-1003' } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('amount');
  });
});
