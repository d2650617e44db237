/**
 * Browser tests run the real product: `runtime-api/src/main.ts` as a child process on a free
 * port with a fresh data folder (templates loaded, fixed API keys), the built designer, and
 * Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../engine/paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Chromium is installed; under CI its absence is a failure, not a skip. */
export function browserAvailable(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env.CI) throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (apt-get install chromium fonts-noto-cjk)`);
  return ok;
}

export const ROLE_KEYS = {
  admin: { key: 'browser-admin-key-0123456789', name: 'admin', roles: ['admin'] },
  analyst: { key: 'browser-analyst-key-0123456789', name: 'analyst', roles: ['analyst'] },
  owner: { key: 'browser-owner-key-0123456789', name: 'owner', roles: ['owner', 'analyst'] },
  operator: { key: 'browser-operator-key-0123456789', name: 'operator', roles: ['operator'], queues: ['*'] },
  colleague: { key: 'browser-colleague-key-0123456789', name: 'wang.fang', roles: ['operator'], queues: ['credit-approval'] },
  supervisor: { key: 'browser-supervisor-key-0123456789', name: 'supervisor', roles: ['supervisor'], queues: ['*'] },
  app: { key: 'browser-app-key-0123456789', name: 'app', roles: ['app'] },
  auditor: { key: 'browser-auditor-key-0123456789', name: 'auditor', roles: ['auditor'] },
} as const;

export interface Product {
  url: string;
  dataDir: string;
  /** Calls the API as a role. */
  api<T = unknown>(role: keyof typeof ROLE_KEYS, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/**
 * Starts the product the way `npm start` does, on a free port, with the embedded store: on a fresh
 * data folder (removed at stop), or on `dataDir`, which the caller owns (a folder holding a history).
 */
export async function startProduct(extraRoles: string[] = [], dataDir?: string): Promise<Product> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'flowpath-browser-'));
  const keys = Object.values(ROLE_KEYS).map((k) => ({ ...k, roles: [...k.roles, ...(k.roles.includes('operator' as never) ? extraRoles : [])] }));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', FLOWPATH_DATA: dir, FLOWPATH_API_KEYS: JSON.stringify(keys), FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_SYNC: 'normal' };
  delete env.FLOWPATH_DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'runtime-api', 'src', 'main.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /designer\s+(http:\/\/\S+?)\/?\s/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok((m[1] as string).replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir: dir,
    async api(role, method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${ROLE_KEYS[role].key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const shotsDir = join(repoRoot, 'test-results', 'screenshots');

/** Saves a screenshot under test-results/screenshots (git-ignored), and under docs/screenshots with FLOWPATH_UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
  if (process.env.FLOWPATH_UPDATE_SCREENSHOTS === '1') {
    const docs = join(repoRoot, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: join(docs, `${name}.png`) });
  }
}

/** Signs in to the designer with a role's key. */
export async function signIn(page: Page, product: Product, role: keyof typeof ROLE_KEYS, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await page.addInitScript((l) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('flowpath.lang', l), lang);
  await page.goto(product.url);
  await page.locator('input').first().fill(ROLE_KEYS[role].key);
  await page.keyboard.press('Enter');
}

/** Opens the designer in `lang` without signing in (the language is what a new browser would have chosen). */
export async function openDesigner(page: Page, product: Product, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await page.addInitScript((l) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('flowpath.lang', l), lang);
  await page.goto(product.url);
}

/** Centre of an element on screen; fails when it is not laid out. */
export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A real mouse drag in small steps, as a hand would do it (HTML5 drag and drop and React Flow gestures alike). */
export async function mouseDrag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  // A first small move starts the drag before travelling.
  await page.mouse.move(from.x + 4, from.y + 4, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/** Drags a palette item (`palette-<kind>`) onto the canvas at a point relative to the canvas' top-left corner. */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const canvas = await page.locator('.react-flow').boundingBox();
  if (!canvas) throw new Error('the canvas is not on screen');
  await mouseDrag(page, await centreOf(page.getByTestId(`palette-${kind}`)), { x: canvas.x + at.x, y: canvas.y + at.y });
}

/** Draws an edge by dragging from a node's exit handle (its accessible name, e.g. "Out" / "出口") to another node's entry handle. */
export async function connectNodes(page: Page, from: string, to: string, names: { out: string; in: string }): Promise<void> {
  const source = page.getByTestId(`node-${from}`).getByLabel(names.out, { exact: true });
  const target = page.getByTestId(`node-${to}`).getByLabel(names.in, { exact: true });
  await mouseDrag(page, await centreOf(source), await centreOf(target));
}

/**
 * A valid generated flow of `count` nodes: start, a chain of set-data and decision steps (each
 * decision's other path ends at once) and a final end, placed on a grid so that zoom to fit
 * shows all of them.
 */
export function generatedFlow(key: string, count: number): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [{ id: 'start', kind: 'start', name: { 'zh-CN': '开始', en: 'Start' } }];
  const edges: Record<string, unknown>[] = [];
  let previous = 'start';
  for (let i = 1; nodes.length < count - 1; i++) {
    if (i % 3 === 0 && nodes.length < count - 2) {
      const id = `d${i}`;
      const end = `e${i}`;
      nodes.push({ id, kind: 'decision', name: { 'zh-CN': `判断 ${i}`, en: `Decision ${i}` } });
      nodes.push({ id: end, kind: 'end', outcome: 'rejected', name: { 'zh-CN': `拒绝 ${i}`, en: `Rejected ${i}` } });
      edges.push({ id: `${previous}--${id}`, source: previous, target: id, ...(previous.startsWith('d') ? { default: true } : {}) });
      edges.push({ id: `${id}--${end}`, source: id, target: end, condition: { '>': [{ var: 'amount' }, i * 1000] } });
      previous = id;
    } else {
      const id = `s${i}`;
      nodes.push({ id, kind: 'set-data', name: { 'zh-CN': `计算 ${i}`, en: `Compute ${i}` }, assignments: [{ field: 'score', value: i }] });
      edges.push({ id: `${previous}--${id}`, source: previous, target: id, ...(previous.startsWith('d') ? { default: true } : {}) });
      previous = id;
    }
  }
  nodes.push({ id: 'done', kind: 'end', outcome: 'approved', name: { 'zh-CN': '通过', en: 'Approved' } });
  edges.push({ id: `${previous}--done`, source: previous, target: 'done', ...(previous.startsWith('d') ? { default: true } : {}) });
  const columns = Math.ceil(Math.sqrt(count * 2));
  nodes.forEach((n, i) => (n.position = { x: (i % columns) * 240, y: Math.floor(i / columns) * 120 }));
  return {
    key,
    name: { 'zh-CN': `大型流程（${count} 个节点）`, en: `Large flow (${count} nodes)` },
    caseSchema: { type: 'object', properties: { amount: { type: 'number' }, score: { type: 'number' } }, required: ['amount'] },
    nodes,
    edges,
  };
}
/** The canvas' current zoom, read from React Flow's viewport transform. */
export async function canvasZoom(page: Page, within: Locator = page.locator('body')): Promise<number> {
  const transform = await within
    .locator('.react-flow__viewport')
    .first()
    .evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
  const m = /scale\(([\d.]+)\)/.exec(transform);
  if (!m) throw new Error(`no zoom in the viewport transform "${transform}"`);
  return Number(m[1]);
}

/** Clicks the canvas' zoom-out control (by its accessible name) until the zoom is at most `max`. */
export async function zoomOutTo(page: Page, zoomOutLabel: string, max: number): Promise<void> {
  for (let i = 0; i < 20 && (await canvasZoom(page)) > max; i++) {
    await page.getByRole('button', { name: zoomOutLabel, exact: true }).click();
    await page.waitForTimeout(60);
  }
}

/** Keeps what the page showed when a test failed, under test-results/screenshots/failed-*.png (never in docs). */
export async function failureShot(page: Page | undefined, testName: string): Promise<void> {
  if (!page || page.isClosed()) return;
  mkdirSync(shotsDir, { recursive: true });
  const name = testName.replace(/[^\w\u4e00-\u9fff-]+/g, '-').slice(0, 80);
  await page.screenshot({ path: join(shotsDir, `failed-${name}.png`) }).catch(() => undefined);
}

/** Where React Flow has placed each rendered node (flow coordinates, from its transform), by node id. */
export async function nodePositions(scope: Page | Locator): Promise<Record<string, { x: number; y: number }>> {
  const entries = await scope.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const m = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec((el as unknown as { style: { transform: string } }).style.transform);
      return [(el as unknown as { dataset: { id?: string } }).dataset.id ?? '', { x: Number(m?.[1]), y: Number(m?.[2]) }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** A new page signed in as `role` in `lang`, showing `hash` (e.g. `#/flows/sme-loan`) once the flow list has loaded. */
export async function signedInPage(
  browser: Browser,
  product: Product,
  role: keyof typeof ROLE_KEYS,
  lang: 'zh-CN' | 'en',
  hash = '',
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await signIn(page, product, role, lang);
  await page.locator('table[aria-label] tbody tr').first().waitFor({ timeout: 15_000 });
  if (hash) await page.goto(`${product.url}/${hash}`);
  return page;
}
