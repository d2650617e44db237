/**
 * The server as `pnpm start` runs it (tsx runtime-api/src/main.ts), started from another
 * directory: first start loads the templates and creates keys, SIGTERM stops it cleanly, and a
 * restart on the same data folder keeps both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import type { Json } from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = mkdtempSync(join(tmpdir(), 'flowpath-main-'));
const templateCount = readdirSync(join(root, 'process-templates'), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(root, 'process-templates', d.name, 'flow.json'))).length;

afterAll(() => {
  rmSync(data, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  output: string;
  keys: Record<string, string>;
}

/** Starts main.ts and waits for its banner (the line after the keys). */
async function start(): Promise<Running> {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'runtime-api', 'src', 'main.ts')], {
    cwd: tmpdir(),
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: data, FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_API_KEYS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  await new Promise<void>((ok, ko) => {
    const timer = setTimeout(() => ko(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
      if (/API keys[^\n]*\n(?:.*\n)*?\n/.test(output)) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      ko(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const url = /API\s+(http:\/\/localhost:\d+)\/api/.exec(output)?.[1] as string;
  const keys = Object.fromEntries([...output.matchAll(/^\s{2}(\w+)\s+(fp_\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
  return { child, url, output, keys };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((ok) => r.child.on('exit', (code) => ok(code)));
  r.child.kill('SIGTERM');
  return exited;
}

test('first start loads the templates and prints keys; SIGTERM stops it; a restart keeps data and keys', { timeout: 120_000 }, async () => {
  const first = await start();
  try {
    expect(first.output).toContain('Flowpath is running');
    expect(Object.keys(first.keys).sort()).toEqual(['admin', 'analyst', 'app', 'auditor', 'operator', 'owner', 'supervisor']);
    const keysFile = join(data, 'api-keys.json');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    const flows = (await (await fetch(`${first.url}/api/flows`, { headers: { authorization: `Bearer ${first.keys.admin}` } })).json()) as Json;
    expect(flows.items).toHaveLength(templateCount);
    expect(flows.items.every((f: { latestVersion: number; defaultVersion: number }) => f.latestVersion === 1 && f.defaultVersion === 1)).toBe(true);
    // The loaded version's note reads in both languages of the product.
    const versions = (await (await fetch(`${first.url}/api/flows/${flows.items[0].key}/versions`, { headers: { authorization: `Bearer ${first.keys.admin}` } })).json()) as Json;
    expect(versions.items[0].note).toMatch(/流程模板.*process templates/);
    const me = (await (await fetch(`${first.url}/api/me`, { headers: { authorization: `Bearer ${first.keys.operator}` } })).json()) as Json;
    expect(me.queues).toEqual(['*']);
    expect(me.roles).toContain('senior-agent');
    const boss = (await (await fetch(`${first.url}/api/me`, { headers: { authorization: `Bearer ${first.keys.supervisor}` } })).json()) as Json;
    expect(boss).toMatchObject({ name: 'supervisor', roles: ['supervisor'], queues: ['*'] });
  } finally {
    expect(await stop(first)).toBe(0);
  }

  const second = await start();
  try {
    expect(second.output).toMatch(/API keys: 7 from .*api-keys\.json/);
    const flows = (await (await fetch(`${second.url}/api/flows`, { headers: { authorization: `Bearer ${first.keys.admin}` } })).json()) as Json;
    expect(flows.items).toHaveLength(templateCount);
    expect(flows.items.every((f: { draftRevision: number }) => f.draftRevision === 1)).toBe(true);
  } finally {
    expect(await stop(second)).toBe(0);
  }
});
