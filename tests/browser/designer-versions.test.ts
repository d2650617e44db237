/**
 * The SME loan template through a release, as the bank's staff see it in Chinese: a test run
 * from a scenario file with a task completed by hand, version 2 compared with version 1 on
 * the canvas, a pilot of version 2 at two branches and stopping it (checked through the API),
 * and the whole interface switched between 中文 and English.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../engine/paths';
import { browserAvailable, failureShot, launchBrowser, screenshot, signedInPage, startProduct, type Product } from './harness';

const SCENARIO = join(repoRoot, 'process-templates', 'sme-loan', 'scenarios', '02-manual-approval.json');
/** The canvas of a 19-step flow needs room to be readable in the guide's pictures. */
const WIDE = { width: 1680, height: 1000 };
const START_DATA = (JSON.parse(readFileSync(SCENARIO, 'utf8')) as { start: { data: Record<string, unknown> } }).start.data;

interface Definition {
  nodes: { id: string; kind: string; name: Record<string, string>; queue?: string; position?: { x: number; y: number } }[];
  edges: { id: string; source: string; target: string; condition?: unknown }[];
}

/** Version 2 of the template: a stricter instant-approval score, a post-loan check instead of the notification, a new queue. */
function version2(def: Definition): Definition {
  const notify = def.nodes.find((n) => n.id === 'notify-disbursed')!;
  const nodes = def.nodes
    .filter((n) => n.id !== 'notify-disbursed')
    .map((n) => (n.id === 'credit-review' ? { ...n, queue: 'sme-credit-approval' } : n))
    .concat({ id: 'post-loan-check', kind: 'user-task', queue: 'post-loan', name: { 'zh-CN': '贷后首次检查', en: 'First post-loan check' }, position: { x: notify.position?.x ?? 0, y: (notify.position?.y ?? 0) + 110 } });
  const edges = def.edges
    .filter((e) => e.source !== 'notify-disbursed' && e.target !== 'notify-disbursed')
    .map((e) => (e.id === 'instant-check--instant-approve' ? { ...e, condition: JSON.parse(JSON.stringify(e.condition).replace('{">=":[{"var":"creditScore"},650]}', '{">=":[{"var":"creditScore"},680]}')) as unknown } : e))
    .concat({ id: 'disburse--post-loan-check', source: 'disburse', target: 'post-loan-check' }, { id: 'post-loan-check--end-approved', source: 'post-loan-check', target: 'end-approved' });
  return { ...def, nodes, edges };
}

async function startCase(product: Product, branchId: string): Promise<number> {
  const r = await product.api<{ version: number }>('app', 'POST', '/api/cases', { flow: 'sme-loan', data: { ...START_DATA, branchId } });
  expect(r.status).toBe(201);
  return r.body.version;
}

describe.skipIf(!browserAvailable())('the SME loan template through a release (zh-CN and English)', () => {
  let product: Product;
  let browser: Browser;
  const pages: Page[] = [];
  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const [i, p] of pages.entries()) await failureShot(p, `${ctx.task.name}-${i}`);
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('test-runs the template from a scenario file: the path lights up, a task is completed by hand, decisions are explained', async () => {
    const page = await signedInPage(browser, product, 'analyst', 'zh-CN', '#/flows/sme-loan', WIDE);
    pages.push(page);
    await expect.poll(() => page.getByTestId('node-credit-review').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('tab', { name: '试运行' }).click();
    const run = page.getByRole('tabpanel', { name: '试运行' });
    await run.getByLabel('从场景文件读取启动数据').setInputFiles(SCENARIO);
    await expect.poll(async () => JSON.parse(await run.getByLabel('启动数据（JSON）').inputValue()) as unknown).toEqual(START_DATA);
    expect(JSON.parse(await run.getByLabel('自动应答的连接器（JSON，可选；其余手工应答）').inputValue())).toHaveProperty('credit-bureau.score', 712);
    expect(await run.getByLabel('开始时间（ISO 8601）').inputValue()).toBe('2026-03-02T01:30:00.000Z');
    await run.getByRole('button', { name: '开始试运行' }).click();

    // The services answer automatically; the case waits at credit approval.
    await expect.poll(() => run.getByRole('status').textContent()).toMatch(/^等待中 · 时钟 2026-03-02T01:30/);
    const log = run.getByRole('list', { name: '运行记录' });
    const instant = log.getByRole('listitem').filter({ hasText: '判断“是否符合秒批条件”→ 授信审批' });
    await expect.poll(() => instant.count()).toBe(1);
    expect(await instant.textContent()).toContain('没有条件成立，走默认路径。');
    // The condition is shown with its result and the values it read (the whitelist check failed first).
    expect(await instant.textContent()).toContain('→ false (读取 companyId = "91320594MA1XXXXX7K")');
    const mark = (id: string) => page.getByTestId(`node-${id}`).getAttribute('class');
    expect(await mark('registry-check')).toContain('mark-visited');
    expect(await mark('credit-review')).toContain('mark-active');
    expect(await mark('instant-approve')).not.toMatch(/mark-/);

    // The reviewer's decision, entered by hand.
    const task = run.getByRole('group', { name: '待办任务: 授信审批 (credit-approval)' });
    await task.getByLabel('待办任务: 授信审批 (credit-approval): 提交数据（JSON）').fill(JSON.stringify({ creditDecision: 'approve', approvedAmount: 800000, approvedRate: 3.95, reviewComment: '经营稳定' }));
    await task.getByRole('button', { name: '完成任务: 待办任务: 授信审批 (credit-approval)' }).click();
    const review = log.getByRole('listitem').filter({ hasText: '判断“审批结论”→ 等待客户线上签署借款合同' });
    await expect.poll(() => review.count()).toBe(1);
    expect(await review.textContent()).toContain('creditDecision = "approve"');
    await expect.poll(() => mark('wait-contract')).toContain('mark-active');
    expect(await mark('credit-review')).toContain('mark-visited');
    expect(await log.getByText('任务“授信审批”完成').count()).toBe(1);
    // Every entry of the log says something.
    expect((await log.getByRole('listitem').allTextContents()).filter((t) => !t.trim())).toEqual([]);
    await review.scrollIntoViewIfNeeded();
    await screenshot(page, 'test-run');

    // The signed contract arrives; the loan is disbursed and the case completes.
    await run.getByLabel('消息名称').fill('contract.signed');
    await run.getByRole('button', { name: '发送' }).click();
    await expect.poll(() => run.getByRole('status').textContent()).toMatch(/^已办结 · 结果：approved/);
    expect(await mark('end-approved')).toContain('mark-visited');
  });

  it('compares version 1 and version 2 on the canvas: added, removed and changed steps and rules are highlighted', async () => {
    const draft = await product.api<{ revision: number; definition: Definition }>('owner', 'GET', '/api/flows/sme-loan/draft');
    const saved = await product.api<{ revision: number }>('owner', 'PUT', '/api/flows/sme-loan/draft', version2(draft.body.definition), { 'if-match': `"${draft.body.revision}"` });
    expect(saved.status).toBe(200);
    const published = await product.api<{ version: number }>('owner', 'POST', '/api/flows/sme-loan/versions', { note: '秒批评分提高到 680；放款后增加贷后检查', revision: saved.body.revision });
    expect(published).toMatchObject({ status: 201, body: { version: 2 } });

    const page = await signedInPage(browser, product, 'owner', 'zh-CN', '#/flows/sme-loan', WIDE);
    pages.push(page);
    await expect.poll(() => page.getByTestId('node-post-loan-check').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('tab', { name: '版本' }).click();
    const history = page.getByRole('list', { name: '版本历史' });
    await expect.poll(() => history.getByRole('listitem').count()).toBe(2);
    expect(await history.getByRole('listitem').first().textContent()).toContain('秒批评分提高到 680');
    await history.getByRole('button', { name: '比较 v1 → v2' }).click();

    const diff = page.getByRole('dialog', { name: '版本差异：v1 → v2' });
    await expect.poll(() => diff.locator('.react-flow__node').count(), { timeout: 10_000 }).toBe(20);
    const changes = await diff.getByRole('region', { name: '变更清单' }).getByRole('listitem').allTextContents();
    expect(changes).toContain('新增节点：贷后首次检查');
    expect(changes).toContain('删除节点：推送放款通知');
    expect(changes).toContain('修改节点：授信审批（queue）');
    expect(changes).toContain('新增连线：核心系统放款 → 贷后首次检查');
    expect(changes).toContain('删除连线：推送放款通知 → 放款完成');
    expect(changes.some((c) => c.startsWith('修改规则：') && c.includes('instant-check--instant-approve'))).toBe(true);
    const cls = (id: string) => diff.getByTestId(`node-${id}`).getAttribute('class');
    expect(await cls('post-loan-check')).toContain('mark-added');
    expect(await cls('notify-disbursed')).toContain('mark-removed');
    expect(await cls('credit-review')).toContain('mark-changed');
    expect(await cls('registry-check')).not.toMatch(/mark-/);
    expect(await diff.getByTestId('edge-label-instant-check--instant-approve').getAttribute('class')).toContain('mark-changed');
    await screenshot(page, 'diff');
    await page.keyboard.press('Escape');
    await expect.poll(() => diff.count()).toBe(0);
  });

  it('pilots version 2 at two branches with the rule builder, then stops the pilot; new cases follow, checked through the API', async () => {
    expect(await startCase(product, 'SZ-SIP-003')).toBe(1);
    const page = await signedInPage(browser, product, 'owner', 'zh-CN');
    pages.push(page);
    await page.getByRole('link', { name: '发布策略 小微企业贷款（预授信+白名单）' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '发布策略：sme-loan' }).isVisible()).toBe(true);
    expect(await page.getByLabel('默认版本').inputValue()).toBe('1');

    await page.getByRole('button', { name: '+ 试点规则' }).click();
    const pilot = page.getByRole('group', { name: '试点 1' });
    await pilot.getByLabel('试点名称').fill('苏州、浦东两网点试点');
    await pilot.getByLabel('试点版本').selectOption('2');
    const when = pilot.getByRole('group', { name: '适用条件' });
    await when.getByRole('button', { name: '+ 条件', exact: true }).click();
    await when.getByRole('combobox', { name: '字段' }).selectOption({ label: '经办网点 (branchId)' });
    await when.getByRole('combobox', { name: '运算符' }).selectOption({ label: '属于（列举值）' });
    await when.getByRole('textbox', { name: '值' }).fill('SZ-SIP-003,SH-PD-001');
    await pilot.getByLabel('试点名称').click();
    await expect.poll(() => when.locator('.rule-preview').textContent()).toMatch(/经办网点.*SZ-SIP-003.*SH-PD-001/);
    await screenshot(page, 'release-policy');
    await page.getByRole('button', { name: '保存发布策略' }).click();
    await expect.poll(() => page.getByText('发布策略已保存。').isVisible()).toBe(true);

    const policy = await product.api<{ defaultVersion: number; pilots: { name: string; version: number; when: unknown }[] }>('owner', 'GET', '/api/flows/sme-loan/release-policy');
    expect(policy.body.defaultVersion).toBe(1);
    expect(policy.body.pilots).toMatchObject([{ name: '苏州、浦东两网点试点', version: 2, when: { in: [{ var: 'branchId' }, ['SZ-SIP-003', 'SH-PD-001']] } }]);
    expect(await startCase(product, 'SZ-SIP-003')).toBe(2);
    expect(await startCase(product, 'SH-PD-001')).toBe(2);
    expect(await startCase(product, 'NJ-XW-010')).toBe(1);

    // The flow list shows the running pilot.
    await page.getByRole('link', { name: /返回流程列表/ }).click();
    await expect.poll(() => page.getByTestId('flow-sme-loan').textContent()).toContain('v2 苏州、浦东两网点试点');
    await page.getByRole('link', { name: '发布策略 小微企业贷款（预授信+白名单）' }).click();

    await page.getByRole('button', { name: '停止试点 1' }).click();
    await expect.poll(() => page.getByText('试点 1 已停止。').isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: '试点 1' }).count()).toBe(0);
    const stopped = await product.api<{ defaultVersion: number; pilots: unknown[]; split: unknown }>('owner', 'GET', '/api/flows/sme-loan/release-policy');
    expect(stopped.body).toMatchObject({ defaultVersion: 1, pilots: [], split: null });
    expect(await startCase(product, 'SZ-SIP-003')).toBe(1);
  });

  it('switches the whole interface between 中文 and English', async () => {
    const page = await signedInPage(browser, product, 'analyst', 'zh-CN', '', WIDE);
    pages.push(page);
    const language = page.getByRole('combobox', { name: '语言' });
    expect(await page.getByRole('heading', { name: '流程', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '新建流程' }).isVisible()).toBe(true);
    expect(await page.getByRole('columnheader', { name: '负责人' }).isVisible()).toBe(true);

    await language.selectOption({ label: 'English' });
    await expect.poll(() => page.getByRole('heading', { name: 'Flows', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'New flow' }).isVisible()).toBe(true);
    expect(await page.getByRole('columnheader', { name: 'Owner' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'SME loan (pre-approval + whitelist)', exact: true }).isVisible()).toBe(true);
    expect(await page.title()).toBe('Flowpath Designer');

    await page.getByRole('link', { name: 'SME loan (pre-approval + whitelist)', exact: true }).click();
    await expect.poll(() => page.getByTestId('node-credit-review').textContent(), { timeout: 15_000 }).toContain('Credit approval');
    expect(await page.getByRole('tab', { name: 'Test run' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add User task' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Problems' }).getByRole('status').textContent()).toBe('No problems found');
    await screenshot(page, 'canvas-sme-loan-en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' });
    await expect.poll(() => page.getByTestId('node-credit-review').textContent()).toContain('授信审批');
    expect(await page.getByRole('tab', { name: '试运行' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '添加“人工任务”' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: '问题' }).getByRole('status').textContent()).toBe('没有发现问题');
    expect(await page.title()).toBe('Flowpath 流程设计器');
    // The Chinese labels are drawn with a CJK font, not as empty boxes: two different characters
    // in the page's font give two different, non-blank glyphs (missing glyphs are identical boxes).
    // (Written as page source: the tests are compiled without the DOM library.)
    const glyphs = await page.evaluate<{ distinct: boolean; inked: boolean }>(`(() => {
      const font = getComputedStyle(document.body).font;
      const draw = (ch) => {
        const c = document.createElement('canvas');
        c.width = 40;
        c.height = 40;
        const ctx = c.getContext('2d');
        ctx.font = font.replace(/\\d+(\\.\\d+)?px/, '28px');
        ctx.fillText(ch, 4, 32);
        return Array.from(ctx.getImageData(0, 0, 40, 40).data).join(',');
      };
      const a = draw('授');
      const b = draw('信');
      return { distinct: a !== b, inked: /[1-9]/.test(a) && /[1-9]/.test(b) };
    })()`);
    expect(glyphs).toEqual({ distinct: true, inked: true });
  });
});
