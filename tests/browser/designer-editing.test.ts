/**
 * Editing on the canvas as a diagram-tool user expects it (English UI): keyboard undo/redo,
 * copy/paste, delete, auto-layout, zoom to fit and the minimap; two analysts saving the same
 * draft; publishing refused with the problems list; a 300-node flow.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  canvasZoom,
  centreOf,
  failureShot,
  generatedFlow,
  launchBrowser,
  mouseDrag,
  nodePositions,
  screenshot,
  signedInPage,
  startProduct,
  type Product,
} from './harness';

/** A small review flow; `piled` puts its steps out of order, so a layout has something to do. */
function reviewFlow(key: string, piled: boolean) {
  return {
    key,
    name: { 'zh-CN': '编辑演示', en: 'Editing demo' },
    caseSchema: { type: 'object', properties: { customerId: { type: 'string' } }, required: ['customerId'] },
    nodes: [
      { id: 'start', kind: 'start', name: { 'zh-CN': '开始', en: 'Start' }, position: piled ? { x: 420, y: 260 } : { x: 0, y: 0 } },
      { id: 'review', kind: 'user-task', queue: 'kyc-review', name: { 'zh-CN': '资料审核', en: 'Document review' }, position: piled ? { x: 0, y: 300 } : { x: 260, y: 0 } },
      { id: 'done', kind: 'end', outcome: 'approved', name: { 'zh-CN': '完成', en: 'Done' }, position: piled ? { x: 200, y: 0 } : { x: 520, y: 0 } },
    ],
    edges: [
      { id: 'start--review', source: 'start', target: 'review' },
      { id: 'review--done', source: 'review', target: 'done' },
    ],
  };
}

async function nodeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__node').count();
}

describe.skipIf(!browserAvailable())('editing on the canvas', () => {
  let product: Product;
  let browser: Browser;
  const pages: Page[] = [];
  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
    for (const key of ['edit-demo', 'conflict-demo', 'refuse-demo']) {
      const created = await product.api('analyst', 'POST', '/api/flows', reviewFlow(key, key === 'edit-demo'));
      expect(created.status).toBe(201);
    }
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const [i, p] of pages.entries()) await failureShot(p, `${ctx.task.name}-${i}`);
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('undoes and redoes with the keyboard, copies and pastes, deletes, lays out, zooms to fit and shows a minimap', async () => {
    const page = await signedInPage(browser, product, 'analyst', 'en', '#/flows/edit-demo');
    pages.push(page);
    const toolbar = page.getByRole('toolbar', { name: 'Editor toolbar' });
    const undo = toolbar.getByRole('button', { name: 'Undo', exact: true });
    await expect.poll(() => nodeCount(page), { timeout: 15_000 }).toBe(3);
    expect(await undo.isDisabled()).toBe(true);

    // A node added from the palette with the keyboard; the Undo button says what it will undo.
    await page.getByRole('button', { name: 'Add Wait' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => nodeCount(page)).toBe(4);
    expect(await undo.getAttribute('title')).toBe('Undo add node (Ctrl+Z)');
    await page.getByRole('region', { name: 'Flow canvas' }).click({ position: { x: 30, y: 30 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(3);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodeCount(page)).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(3);
    await page.keyboard.press('Control+y');
    await expect.poll(() => nodeCount(page)).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(3);

    // Dragging a node is one step to undo.
    const before = (await nodePositions(page)).review!;
    const review = page.getByTestId('node-review');
    const from = await centreOf(review);
    await mouseDrag(page, from, { x: from.x + 120, y: from.y + 80 });
    await expect.poll(async () => (await nodePositions(page)).review!.x).toBeGreaterThan(before.x + 40);
    expect(await undo.getAttribute('title')).toBe('Undo move nodes (Ctrl+Z)');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await nodePositions(page)).review).toEqual(before);

    // Copy and paste the selected task twice: each copy lands a little further along.
    await review.click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeCount(page)).toBe(4);
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeCount(page)).toBe(5);
    const pasted = await page.locator('.react-flow__node').filter({ hasText: 'Document review' }).count();
    expect(pasted).toBe(3);
    const positions = Object.values(await nodePositions(page));
    expect(new Set(positions.map((p) => `${p.x},${p.y}`)).size).toBe(5);

    // Delete removes the selection (the last paste); one undo brings it back.
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeCount(page)).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(5);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(3);

    // Auto-layout puts the steps left to right in flow order; one undo restores the pile.
    const piled = await nodePositions(page);
    expect(piled.start!.x).toBeGreaterThan(piled.review!.x);
    await toolbar.getByRole('button', { name: 'Auto-layout' }).click();
    await expect.poll(async () => {
      const p = await nodePositions(page);
      return p.start!.x < p.review!.x && p.review!.x < p.done!.x;
    }).toBe(true);
    expect(await undo.getAttribute('title')).toBe('Undo auto-layout (Ctrl+Z)');
    const laidOut = await nodePositions(page);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodePositions(page)).toEqual(piled);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodePositions(page)).toEqual(laidOut);

    // Zoomed in, the outer steps are off screen; zoom to fit brings every one back into view.
    const canvas = page.getByRole('region', { name: 'Flow canvas' });
    const zoomIn = page.getByRole('button', { name: 'Zoom in', exact: true });
    for (let i = 0; i < 4 && (await zoomIn.isEnabled()); i++) await zoomIn.click();
    const c = (await canvas.boundingBox())!;
    const inside = async () => {
      const boxes = await Promise.all(['start', 'review', 'done'].map((id) => page.getByTestId(`node-${id}`).boundingBox()));
      return boxes.every((b) => b && b.x >= c.x && b.y >= c.y && b.x + b.width <= c.x + c.width && b.y + b.height <= c.y + c.height);
    };
    await expect.poll(inside).toBe(false);
    const zoomedIn = await canvasZoom(page);
    await toolbar.getByRole('button', { name: 'Zoom to fit' }).click();
    await expect.poll(inside).toBe(true);
    await expect.poll(() => canvasZoom(page)).toBeLessThan(zoomedIn);

    // The minimap draws every step.
    const minimap = page.getByRole('img', { name: 'Minimap' });
    expect(await minimap.isVisible()).toBe(true);
    expect(await minimap.locator('.react-flow__minimap-node').count()).toBe(3);
  });

  it('a second analyst saving the same draft gets the conflict dialog and nothing is overwritten silently', async () => {
    const a = await signedInPage(browser, product, 'analyst', 'zh-CN', '#/flows/conflict-demo');
    const b = await signedInPage(browser, product, 'owner', 'zh-CN', '#/flows/conflict-demo');
    pages.push(a, b);
    for (const p of [a, b]) await expect.poll(() => nodeCount(p), { timeout: 15_000 }).toBe(3);

    const rename = async (p: Page, zh: string) => {
      await p.getByTestId('node-review').click();
      const field = p.getByLabel('名称 (中文)', { exact: true });
      await field.fill(zh);
      await field.press('Enter');
      await expect.poll(() => p.getByTestId('node-review').textContent()).toContain(zh);
    };
    const save = (p: Page) => p.getByRole('toolbar', { name: '编辑工具栏' }).getByRole('button', { name: '保存草稿' }).click();
    const status = (p: Page) => p.getByRole('toolbar', { name: '编辑工具栏' }).getByRole('status').textContent();
    const serverName = async () => {
      const d = await product.api<{ revision: number; definition: { nodes: { id: string; name: { 'zh-CN': string } }[] } }>('analyst', 'GET', '/api/flows/conflict-demo/draft');
      return { revision: d.body.revision, name: d.body.definition.nodes.find((n) => n.id === 'review')?.name['zh-CN'] };
    };

    await rename(a, '甲：资料审核（客户经理）');
    await save(a);
    await expect.poll(() => status(a)).toBe('已保存（修订 2）');
    await rename(b, '乙：资料审核（合规）');
    await save(b);
    const dialog = b.getByRole('dialog', { name: '草稿已被他人修改' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('服务器上现在是修订 2');
    await screenshot(b, 'conflict');
    // Nothing was written: the server still has the first analyst's save.
    expect(await serverName()).toEqual({ revision: 2, name: '甲：资料审核（客户经理）' });

    // Loading their version replaces the unsaved edit with the saved one.
    await dialog.getByRole('button', { name: '加载他人的版本' }).click();
    await expect.poll(() => b.getByTestId('node-review').textContent()).toContain('甲：资料审核（客户经理）');
    await expect.poll(() => status(b)).toBe('已保存（修订 2）');

    // Now the other way round, and this time the user knowingly overwrites.
    await rename(b, '乙：资料审核（合规）');
    await save(b);
    await expect.poll(() => status(b)).toBe('已保存（修订 3）');
    await rename(a, '甲：第二次修改');
    await save(a);
    const dialogA = a.getByRole('dialog', { name: '草稿已被他人修改' });
    await expect.poll(() => dialogA.isVisible()).toBe(true);
    expect(await serverName()).toEqual({ revision: 3, name: '乙：资料审核（合规）' });
    await dialogA.getByRole('button', { name: '用我的版本覆盖' }).click();
    await expect.poll(() => status(a)).toBe('已保存（修订 4）');
    expect(await serverName()).toEqual({ revision: 4, name: '甲：第二次修改' });
  });

  it('publishing an invalid draft is refused and the dialog lists every problem', async () => {
    const page = await signedInPage(browser, product, 'owner', 'en', '#/flows/refuse-demo');
    pages.push(page);
    await expect.poll(() => nodeCount(page), { timeout: 15_000 }).toBe(3);
    // Break it: deleting the review step takes its edges with it, so the start leads nowhere.
    await page.getByTestId('node-review').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(0);
    const problems = page.getByRole('region', { name: 'Problems' });
    await expect.poll(() => problems.getByRole('status').textContent()).toMatch(/^[1-9]\d* errors?, \d+ warnings?$/);
    const listed = await problems.getByRole('listitem').allTextContents();

    await page.getByRole('toolbar', { name: 'Editor toolbar' }).getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish a new version' });
    expect(await dialog.getByText('The draft still has errors; the server will refuse to publish it.').isVisible()).toBe(true);
    await dialog.getByLabel('Release note').fill('Should not go out');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('The draft has errors and cannot be published.');
    expect(await refusal.textContent()).toContain('flow.invalid');
    const refused = await refusal.getByRole('list', { name: 'Problems' }).getByRole('listitem').allTextContents();
    // The server lists the same errors the problems panel shows.
    expect(refused.length).toBeGreaterThan(0);
    for (const line of listed.filter((l) => l.startsWith('Error'))) expect(refused).toContain(line);
    expect(refused.join('\n')).toMatch(/Nothing leads to this step/);
    const versions = await product.api<{ items: unknown[] }>('owner', 'GET', '/api/flows/refuse-demo/versions');
    expect(versions.body.items).toEqual([]);
  });

  it('opens a generated 300-node flow and renders every node', async () => {
    const created = await product.api('analyst', 'POST', '/api/flows', generatedFlow('large-300', 300));
    expect(created.status).toBe(201);
    const page = await signedInPage(browser, product, 'analyst', 'en');
    pages.push(page);
    const started = performance.now();
    await page.goto(`${product.url}/#/flows/large-300`);
    await expect.poll(() => nodeCount(page), { timeout: 30_000, interval: 50 }).toBe(300);
    const rendered = performance.now() - started;
    await expect.poll(() => page.getByRole('region', { name: 'Problems' }).getByRole('status').textContent(), { timeout: 15_000 }).toBe('No problems found');
    const checked = performance.now() - started;
    expect(await page.getByRole('img', { name: 'Minimap' }).locator('.react-flow__minimap-node').count()).toBe(300);
    expect(await page.locator('.react-flow__edge').count()).toBe(299);
    // Timing is measured in bench/; here it is only reported.
    console.log(`300-node flow: all nodes rendered ${rendered.toFixed(0)} ms after navigation, validated ${checked.toFixed(0)} ms`);
  });
});
