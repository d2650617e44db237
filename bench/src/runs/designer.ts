/**
 * Run 5, designer: the built designer served by the real server, in Debian's headless Chromium
 * driven by playwright-core. Generated flows of 50, 300 and 1,000 nodes are created through the
 * API; each is opened in the editor by a full page load, and the time from navigation start to
 * every node drawn is read inside the page. Then a programmatic pan of the 300-node canvas
 * counts the frames the browser paints.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs } from '../format';
import type { BenchRun, RunContext, RunResult } from '../run-types';
import { generatedFlow } from './designer-flow';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = { key: 'bench-designer-key-0123456789abcdef', name: 'bench-analyst', roles: ['analyst', 'owner'] };
const SIZES = [50, 300, 1000] as const;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TARGET_MS = 2000;

/** The browser globals the in-page functions use (the bench compiles without the DOM library). */
interface InPage {
  document: { querySelectorAll(sel: string): { length: number } };
  requestAnimationFrame(cb: () => void): void;
  __frames: number;
  __counting: boolean;
  __draw?: { last: number; at: number; stable: number };
}

// playwright-core is the tests package's dependency; the bench loads the same copy from there
// rather than adding a second one, and types only the few calls it makes.
export interface Mouse {
  move(x: number, y: number, opts?: { steps?: number }): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
}
export interface PwPage {
  goto(url: string): Promise<unknown>;
  addInitScript<A>(fn: (arg: A) => void, arg: A): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate(expression: string): Promise<unknown>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, opts: { polling: 'raf' | number; timeout: number }): Promise<{ jsonValue(): Promise<unknown> }>;
  locator(sel: string): { first(): { fill(v: string): Promise<void>; boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> }; count(): Promise<number> };
  keyboard: { press(key: string): Promise<void> };
  mouse: Mouse;
  close(): Promise<void>;
}
export interface PwBrowser {
  newPage(opts: { viewport: { width: number; height: number } }): Promise<PwPage>;
  close(): Promise<void>;
}
export interface Chromium {
  launch(opts: { executablePath: string; args: string[] }): Promise<PwBrowser>;
}

export function loadChromium(): Chromium {
  const requireFromTests = createRequire(join(REPO_ROOT, 'tests', 'package.json'));
  return (requireFromTests('playwright-core') as { chromium: Chromium }).chromium;
}

export interface Product {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts the product as `pnpm start` does (and as the browser tests do), on a fresh data folder or
 * on `dataDir` (removed when it stops), with the given API keys.
 */
export async function startProduct(opts: { dataDir?: string; keys?: unknown[] } = {}): Promise<Product> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'flowpath-bench-designer-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'runtime-api', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: dataDir, FLOWPATH_API_KEYS: JSON.stringify(opts.keys ?? [KEY]), FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_SYNC: 'normal' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 120 s:\n${output}`)), 120_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /designer\s+http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`server exited ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function ensureDesignerBuilt(ctx: RunContext): void {
  if (existsSync(join(REPO_ROOT, 'designer', 'dist', 'index.html'))) return;
  ctx.log('designer: no designer/dist; building it (pnpm --filter @flowpath/designer build)');
  const r = spawnSync('pnpm', ['--filter', '@flowpath/designer', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`designer build failed with exit code ${r.status}`);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/**
 * Opens `key` by a full page load. Returns ms from navigation start to the frame where the
 * drawing settled: the minimap shows all `count` nodes and the canvas' node count then stayed
 * the same for five frames. From 120 nodes on the canvas draws only the nodes in view (React
 * Flow's `onlyRenderVisibleElements`), so `visible` may be below `count` there.
 */
async function openFlow(page: PwPage, url: string, key: string, count: number): Promise<{ ms: number; visible: number }> {
  await page.goto('about:blank');
  await page.goto(`${url}/#/flows/${encodeURIComponent(key)}`);
  const handle = await page.waitForFunction(
    (n: number) => {
      const w = globalThis as unknown as InPage;
      const minimap = w.document.querySelectorAll('.react-flow__minimap-node').length;
      const canvas = w.document.querySelectorAll('.react-flow__node').length;
      const s = (w.__draw ??= { last: -1, at: 0, stable: 0 });
      if (minimap < n || canvas === 0) {
        s.last = -1;
        return false;
      }
      if (canvas !== s.last) {
        s.last = canvas;
        s.at = performance.now();
        s.stable = 0;
        return false;
      }
      s.stable += 1;
      return s.stable >= 5 ? { ms: s.at, visible: canvas } : false;
    },
    count,
    { polling: 'raf', timeout: 60_000 },
  );
  const drawn = (await handle.jsonValue()) as { ms: number; visible: number };
  const minimap = await page.locator('.react-flow__minimap-node').count();
  if (minimap !== count) throw new Error(`flow ${key}: the minimap shows ${minimap} nodes, expected ${count}`);
  if (count < 120 && drawn.visible !== count) throw new Error(`flow ${key}: ${drawn.visible} nodes drawn, expected ${count}`);
  return drawn;
}

/** Drags the canvas for `ms` in small steps and counts animation frames painted meanwhile. */
async function panFrames(page: PwPage): Promise<{ fps: number; frames: number; ms: number }> {
  const box = await page.locator('.react-flow__pane').first().boundingBox();
  if (!box) throw new Error('the canvas pane is not on screen');
  // A string, not a function: the bench's TypeScript loader would wrap a named inner function
  // in a helper that does not exist in the page.
  await page.evaluate(
    `(() => { window.__frames = 0; window.__counting = true; const tick = () => { if (!window.__counting) return; window.__frames += 1; requestAnimationFrame(tick); }; requestAnimationFrame(tick); })()`,
  );
  const t0 = performance.now();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 300, y - 200, { steps: 60 });
  await page.mouse.move(x, y, { steps: 60 });
  await page.mouse.up();
  const ms = performance.now() - t0;
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    w.__counting = false;
    return w.__frames;
  }, null);
  return { fps: frames / (ms / 1000), frames, ms };
}

export const designer: BenchRun = {
  name: 'designer-open-300',
  title: 'Designer: open and draw 50 / 300 / 1,000 nodes',
  unit: 'x',
  target: 1,
  targetText: 'headroom ≥ 1× on 300 nodes < 2 s',
  async run(ctx): Promise<RunResult> {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH)`);
    ensureDesignerBuilt(ctx);
    const rounds = ctx.quick ? 1 : 3;
    const product = await startProduct();
    const browser = await loadChromium().launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      for (const n of SIZES) {
        const res = await fetch(`${product.url}/api/flows`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY.key}`, 'content-type': 'application/json' },
          body: JSON.stringify(generatedFlow(`bench-${n}`, n)),
        });
        if (res.status !== 201) throw new Error(`creating the ${n}-node flow: HTTP ${res.status} ${await res.text()}`);
      }
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(product.url);
      await page.locator('input').first().fill(KEY.key);
      await page.keyboard.press('Enter');
      // Wait until the designer has kept the key, or the next full page load would sign out.
      await page.waitForFunction(
        (key: string) => {
          const w = globalThis as unknown as { localStorage: { [k: string]: unknown }; sessionStorage: { [k: string]: unknown } };
          return JSON.stringify({ ...w.localStorage, ...w.sessionStorage }).includes(key);
        },
        KEY.key,
        { polling: 100, timeout: 30_000 },
      );
      // Signed in once; the key stays in the browser as it does for a user. A first open warms
      // the HTTP cache, as a user's second visit would be.
      await openFlow(page, product.url, 'bench-50', 50);
      const times = new Map<number, number[]>();
      const visible = new Map<number, number>();
      for (let r = 0; r < rounds; r++) {
        for (const n of SIZES) {
          const { ms, visible: v } = await openFlow(page, product.url, `bench-${n}`, n);
          times.set(n, [...(times.get(n) ?? []), ms]);
          visible.set(n, v);
          ctx.log(`designer: round ${r + 1}, ${n} nodes drawn ${ms.toFixed(0)} ms after navigation (${v} on the canvas in view)`);
        }
      }
      await openFlow(page, product.url, 'bench-300', 300);
      const pan = await panFrames(page);
      ctx.log(`designer: pan of the 300-node canvas, ${pan.frames} frames in ${pan.ms.toFixed(0)} ms`);
      await page.close();
      const med = new Map(SIZES.map((n) => [n, median(times.get(n) ?? [])]));
      const m300 = med.get(300) as number;
      const all = (n: number) => (times.get(n) ?? []).map((t) => t.toFixed(0)).join(', ');
      return {
        name: this.name,
        title: this.title,
        status: 'measured',
        ratio: TARGET_MS / m300,
        unit: this.unit,
        target: this.target,
        targetText: this.targetText,
        figures: [
          ...SIZES.map((n) => ({ label: `${n.toLocaleString('en-US')} nodes, median`, value: `${fmtMs(med.get(n) as number)}${n === 300 ? ` (target < ${TARGET_MS} ms)` : ''}` })),
          { label: 'pan of 300 nodes', value: `${pan.fps.toFixed(0)} frames/s (${pan.frames} frames in ${pan.ms.toFixed(0)} ms)` },
        ],
        notes: [
          `Each flow is generated (start, a chain of set-data steps and decisions whose other branch ends at once, a final end; valid, on a grid) and created with \`POST /api/flows\` on the real server (\`runtime-api/src/main.ts\` serving the built designer from \`designer/dist\`, as \`pnpm start\` does). Chromium (${CHROMIUM}, headless, 1440×900) signs in once, then each open is a full page load: \`about:blank\`, then \`/#/flows/<key>\`; the time is \`performance.now()\` inside the page (ms since that navigation started) at the animation frame where the drawing settled: the minimap shows every node and the canvas' count of \`.react-flow__node\` elements has not changed for five frames since (the time reported is that of the last change). From 120 nodes on the designer draws only the nodes in view (\`onlyRenderVisibleElements\`); after zoom to fit the canvas held ${SIZES.map((n) => `${visible.get(n)} of ${n}`).join(', ')} nodes. The time includes loading and parsing the designer's scripts (from the browser cache after the first open), fetching the draft, layout and drawing. The minimap must show exactly the flow's node count, and below 120 nodes so must the canvas.`,
          `${rounds} rounds over the three sizes after one warm-up open; all times (ms): 50 nodes ${all(50)}; 300 nodes ${all(300)}; 1,000 nodes ${all(1000)}. The BENCH figure is the target divided by the 300-node median (≥ 1 means met).`,
          `Pan: on the open 300-node flow, the mouse drags the canvas 360 px away and back in 120 small moves while a \`requestAnimationFrame\` loop counts frames: ${pan.frames} frames in ${pan.ms.toFixed(0)} ms. Headless Chromium without a GPU paints in software and the machine was shared, so this is a floor, not what a user's browser shows.`,
        ],
      };
    } finally {
      await browser.close();
      await product.stop();
    }
  },
};
