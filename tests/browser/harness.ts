/**
 * Browser tests run the real product: `runtime-api/src/main.ts` as a child process on a free
 * port with a fresh data folder (templates loaded, fixed API keys), the built designer, and
 * Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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
  supervisor: { key: 'browser-supervisor-key-0123456789', name: 'supervisor', roles: ['operator', 'auditor'], queues: ['*'] },
  app: { key: 'browser-app-key-0123456789', name: 'app', roles: ['app'] },
  auditor: { key: 'browser-auditor-key-0123456789', name: 'auditor', roles: ['auditor'] },
} as const;

export interface Product {
  url: string;
  dataDir: string;
  /** Calls the API as a role. */
  api<T = unknown>(role: keyof typeof ROLE_KEYS, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** Starts the product the way `npm start` does, on a free port and a fresh data folder. */
export async function startProduct(extraRoles: string[] = []): Promise<Product> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowpath-browser-'));
  const keys = Object.values(ROLE_KEYS).map((k) => ({ ...k, roles: [...k.roles, ...(k.roles.includes('operator' as never) ? extraRoles : [])] }));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'runtime-api', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: dataDir, FLOWPATH_API_KEYS: JSON.stringify(keys), FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_SYNC: 'normal' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    dataDir,
    async api(role, method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${ROLE_KEYS[role].key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
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
      rmSync(dataDir, { recursive: true, force: true });
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
