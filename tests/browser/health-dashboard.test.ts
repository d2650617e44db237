/**
 * Process health in the designer, on a simulated history: three months of SME-loan cases with a
 * pilot (version 2) at two branches, loaded by `flowpath simulate` into a fresh data folder
 * before the product starts on it. The dashboard shows the API's figures, the heatmap colours
 * the steps by the chosen figure, and the release-policy screen compares the pilot with the
 * control. Screenshots for the analyst's guide: health-dashboard, health-heatmap,
 * health-pilot-comparison.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDefinition } from '@flowpath/engine';
import { pilotMetrics, verdict } from '../../designer/src/health/compare-model';
import { formatRate } from '../../designer/src/health/format';
import { heatScale, heatValue } from '../../designer/src/health/heat-scale';
import type { FlowHealth, HealthComparison, NodeFigures } from '../../designer/src/health/types';
import { repoRoot } from '../engine/paths';
import { browserAvailable, failureShot, launchBrowser, screenshot, signedInPage, startProduct, type Product } from './harness';

/** Runs `flowpath simulate` as a user would, in its own process. */
function simulate(dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.FLOWPATH_DATABASE_URL;
    execFile(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'cli', 'src', 'main.ts'), 'simulate', '--flow', 'sme-loan', '--from', '2026-01-05', '--to', '2026-03-31', '--seed', '11', '--pilot-branches', 'B01,B02', '--data', dir],
      { cwd: repoRoot, env, timeout: 120_000 },
      (error, out, err) => (error ? reject(new Error(`flowpath simulate failed: ${err || error.message}`)) : resolve(out)),
    );
  });
}

/**
 * Waits until the figures stop changing: the history ends before today, so the runtime fires the
 * overdue timers (SLA breaches, expired waits) as soon as it starts, and cases move on.
 */
async function settled(product: Product): Promise<void> {
  let last = '';
  for (let i = 0; i < 60; i++) {
    const { body } = await product.api<FlowHealth>('owner', 'GET', '/api/flows/sme-loan/health');
    // Counts only: the age of open cases grows with the clock.
    const v = body.volume;
    const now = JSON.stringify([v.started, v.completed, v.cancelled, v.terminated, v.wip.count, body.measured, body.sla.case, body.sla.nodes]);
    if (now === last) return;
    last = now;
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  throw new Error('the figures kept changing for a minute after the server started');
}

/** The background colour the page computed for an element, as #rrggbb. */
async function backgroundOf(page: Page, testId: string): Promise<string> {
  const rgb = await page.getByTestId(testId).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(rgb);
  if (!m) throw new Error(`no colour in ${rgb}`);
  return `#${[m[1], m[2], m[3]].map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
}

describe.skipIf(!browserAvailable())('process health on a simulated history', () => {
  let dataDir: string;
  let product: Product;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowpath-health-browser-'));
    const [out, b] = await Promise.all([simulate(dataDir), launchBrowser()]);
    browser = b;
    expect(out).toMatch(/Loaded \d+ cases/);
    product = await startProduct([], dataDir);
    await settled(product);
  }, 240_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const [i, p] of pages.entries()) await failureShot(p, `${ctx.task.name}-${i}`);
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the dashboard from the flow list and shows the figures the API computes, per version when grouped', async () => {
    // given the owner on the flow list, and the API's figures for the whole history
    const api = await product.api<FlowHealth>('owner', 'GET', '/api/flows/sme-loan/health');
    expect(api.status).toBe(200);
    expect(api.body.volume.started).toBeGreaterThan(1000);
    const page = await signedInPage(browser, product, 'owner', 'en');
    pages.push(page);
    // when the flow's "Process health" link is followed
    await page.getByRole('link', { name: /^Process health SME/ }).click();
    // then the key figures and the volume table show the API's numbers
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/^Process health: .*\(sme-loan\)$/);
    const cards = page.getByLabel('Key figures', { exact: true });
    await cards.waitFor();
    const started = api.body.volume.started.toLocaleString('en');
    await expect.poll(() => cards.locator('div', { hasText: /^Started/ }).locator('dd').textContent()).toBe(started);
    const volume = page.getByTestId('health-volume');
    await expect.poll(() => volume.getByRole('row', { name: /^Completed/ }).getByRole('cell').textContent()).toBe(api.body.volume.completed.toLocaleString('en'));
    await expect.poll(() => page.getByRole('row', { name: /^Straight-through rate/ }).getByRole('cell').last().textContent()).toBe(formatRate(api.body.stp.rate));
    // and the charts are drawn (SVG)
    await expect.poll(() => page.locator('figure.health-chart svg').count()).toBeGreaterThanOrEqual(6);

    // when the figures are grouped by version
    await page.getByLabel('Group by', { exact: true }).selectOption('version');
    // then one row per version, with the cases each started
    const groups = page.getByTestId('health-groups');
    await groups.waitFor();
    const grouped = await product.api<FlowHealth>('owner', 'GET', '/api/flows/sme-loan/health?groupBy=version');
    const perVersion = grouped.body.groups?.groups ?? [];
    expect(perVersion.map((g) => g.value)).toEqual([1, 2]);
    for (const g of perVersion) {
      await expect.poll(() => groups.getByRole('row', { name: new RegExp(`^${String(g.value)} `) }).getByRole('cell').first().textContent()).toBe(g.report.volume.started.toLocaleString('en'));
    }
  });

  it('narrows the figures to a period and a version, and says so when nothing is in it', async () => {
    // given the dashboard in English
    const page = await signedInPage(browser, product, 'owner', 'en', '#/flows/sme-loan/health');
    pages.push(page);
    const cards = page.getByLabel('Key figures', { exact: true });
    await cards.waitFor();
    // when version 2 (the pilot, from 2 February) in March is chosen
    await page.getByLabel('Version', { exact: true }).selectOption('2');
    await page.getByLabel('From (inclusive)', { exact: true }).fill('2026-03-01');
    await page.getByLabel('To (inclusive)', { exact: true }).fill('2026-03-31');
    // then the figures are the API's for that selection
    const api = await product.api<FlowHealth>('owner', 'GET', '/api/flows/sme-loan/health?version=2&from=2026-03-01&to=2026-03-31&basis=ended');
    expect(api.body.volume.started).toBeGreaterThan(0);
    await expect.poll(() => cards.locator('div', { hasText: /^Started/ }).locator('dd').textContent()).toBe(api.body.volume.started.toLocaleString('en'));
    // when a period before the pilot is chosen
    await page.getByLabel('From (inclusive)', { exact: true }).fill('2026-01-05');
    await page.getByLabel('To (inclusive)', { exact: true }).fill('2026-01-20');
    // then there is nothing to measure, and the page says so
    await expect.poll(() => page.getByText('No cases in this selection.', { exact: false }).count()).toBe(1);
  });

  it('colours each step of the flow by waiting time, SLA breach rate or rule hit rate, read-only, with every figure on hover', async () => {
    // given the per-node figures of the latest version and the heatmap, in Chinese
    const nodes = (await product.api<NodeFigures>('owner', 'GET', '/api/flows/sme-loan/health/nodes')).body;
    const review = nodes.nodes.find((n) => n.nodeId === 'credit-review');
    expect(review?.breachRate).not.toBeNull();
    const page = await signedInPage(browser, product, 'owner', 'zh-CN', '#/flows/sme-loan');
    pages.push(page);
    // when the editor's heatmap link is followed
    await page.getByTestId('health-link-heatmap').click();
    await page.getByTestId('heat-node-credit-review').waitFor();
    // then the review is coloured by its median waiting time on the scale of the slowest step
    const waiting = heatScale('waiting', nodes.nodes.map((n) => heatValue(n, 'waiting')));
    expect(await backgroundOf(page, 'heat-node-credit-review')).toBe(waiting.colour(heatValue(review!, 'waiting')));
    await expect.poll(() => page.getByTestId('heat-legend').textContent()).toContain('等待时长');
    // when the switch is set to SLA breach rate
    await page.getByRole('radio', { name: '超时率' }).check();
    // then the colour follows the breach rate on the 0–100 % scale, and the legend says so
    const breach = heatScale('breach', []);
    await expect.poll(() => backgroundOf(page, 'heat-node-credit-review')).toBe(breach.colour(review!.breachRate));
    await expect.poll(() => page.getByTestId('heat-legend').textContent()).toContain('超时率');
    // and a gate with rules shows its hit rate when switched to rule hit rate
    await page.getByRole('radio', { name: '规则命中率' }).check();
    const gate = nodes.nodes.find((n) => n.kind === 'compliance-gate' && n.hitRate !== null);
    expect(gate).toBeDefined();
    await expect.poll(() => backgroundOf(page, `heat-node-${gate!.nodeId}`)).toBe(heatScale('hits', []).colour(gate!.hitRate));

    // when the pointer rests on the review
    await page.getByRole('radio', { name: '超时率' }).check();
    await page.getByTestId('heat-node-credit-review').hover();
    // then every figure of the step is shown beside the canvas
    const details = page.getByTestId('heat-details');
    await expect.poll(() => details.textContent()).toContain(formatRate(review!.breachRate));
    await expect.poll(() => details.textContent()).toContain('领取前等待 p50');
    await screenshot(page, 'health-heatmap');

    // and the canvas is read-only: dragging a step moves no step (at most the view)
    const node = page.locator('.react-flow__node[data-id="credit-review"]');
    const before = await node.getAttribute('style');
    const box = await node.boundingBox();
    await page.mouse.move(box!.x + 20, box!.y + 20);
    await page.mouse.down();
    await page.mouse.move(box!.x + 140, box!.y + 120, { steps: 8 });
    await page.mouse.up();
    expect(await node.getAttribute('style')).toBe(before);
  });

  it('shows the dashboard in Chinese for the guide', async () => {
    // given the dashboard in Chinese
    const page = await signedInPage(browser, product, 'owner', 'zh-CN', '#/flows/sme-loan/health');
    pages.push(page);
    // when it has loaded, grouped by branch
    await page.getByLabel('关键指标', { exact: true }).waitFor();
    await page.getByLabel('分组', { exact: true }).selectOption('branchId');
    await page.getByTestId('health-groups').waitFor();
    // then the texts are Chinese
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/^流程健康度：/);
    await expect.poll(() => page.locator('figure.health-chart svg').count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, 'health-dashboard');
  });

  it('compares the running pilot with the control on the release-policy screen, with cohort sizes and a plain verdict', async () => {
    // given the API's comparison of version 2 with version 1 since the pilot began
    const page = await signedInPage(browser, product, 'owner', 'en', '#/flows/sme-loan/release');
    pages.push(page);
    const section = page.getByTestId('pilot-comparison');
    await section.waitFor();
    // when the owner compares from the day the pilot began
    await section.getByLabel('From (inclusive)', { exact: true }).fill('2026-02-02');
    // then both cohort sizes are the API's for the same question
    const v2 = (await product.api<{ definition: FlowDefinition }>('owner', 'GET', '/api/flows/sme-loan/versions/2')).body.definition;
    const metrics = pilotMetrics(v2);
    const api = await product.api<HealthComparison>('owner', 'GET', `/api/flows/sme-loan/health/compare?by=version&a=1&b=2&from=2026-02-02&basis=ended&metrics=${encodeURIComponent(metrics.join(','))}`);
    expect(api.status).toBe(200);
    await expect.poll(() => section.getByTestId('cohort-b').textContent()).toBe(`${api.body.b.cases.toLocaleString('en')} cases (${api.body.b.pending} still open)`);
    await expect.poll(() => section.getByTestId('cohort-a').textContent()).toBe(`${api.body.a.cases.toLocaleString('en')} cases (${api.body.a.pending} still open)`);
    // and every metric has a row whose verdict says what the API's interval says
    const row = (metric: string) => section.locator(`tr[data-metric="${metric}"]`);
    const words = { better: 'Significantly better', worse: 'Significantly worse', different: 'Significantly different', 'not-significant': 'Not significant', 'too-few': 'Too few cases to tell' };
    await expect.poll(() => section.locator('tbody tr').count()).toBe(metrics.length);
    for (const m of api.body.metrics) expect(await row(m.metric).locator('td').last().textContent()).toBe(words[verdict(m)]);
    // in particular the pilot's designed effect: the pre-filled review form is claimed sooner,
    // a significant improvement whose whole interval lies below zero
    const wait = api.body.metrics.find((m) => m.metric === 'node:credit-review:queue:working');
    expect(wait?.significant).toBe(true);
    expect(wait!.ci![1]).toBeLessThan(0);
    expect(await row('node:credit-review:queue:working').locator('td').last().textContent()).toBe('Significantly better');
    await expect.poll(() => row('node:credit-review:queue:working').locator('td').nth(2).textContent()).toMatch(/^−\d/);
    await expect.poll(() => section.getByRole('status').textContent()).toMatch(/significantly better with the pilot/);
    await section.evaluate((el) => (el as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: 'start' }));
    await screenshot(page, 'health-pilot-comparison');
  });
});
