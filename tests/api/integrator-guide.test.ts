/**
 * docs/integrator-guide.md cannot go stale: its curl examples run, in order, against a server
 * with the process templates loaded, and each answer must contain what the guide shows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readTemplates, type ApiKey } from '@flowpath/runtime-api';
import { curlRequest, mismatches, parseExamples, pick, shellWords } from '../helpers/markdown-curl';
import { startServer, type TestServer } from '../helpers/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const guide = readFileSync(join(root, 'docs', 'integrator-guide.md'), 'utf8');

const keys: ApiKey[] = [
  { key: 'guide-app-key-0123456789abcdef', name: 'app', roles: ['app'] },
  { key: 'guide-operator-key-0123456789ab', name: 'operator', roles: ['operator', 'senior-agent'], queues: ['senior-agent'] },
  { key: 'guide-auditor-key-0123456789abc', name: 'auditor', roles: ['auditor'] },
];

let s: TestServer;

beforeAll(async () => {
  s = await startServer({ flows: readTemplates(join(root, 'process-templates')), apiKeys: keys });
});
afterAll(async () => {
  await s.close();
});

test('the guide has examples for every step it promises', () => {
  const examples = parseExamples(guide);
  expect(examples.length).toBeGreaterThanOrEqual(10);
  const commands = examples.map((e) => e.command).join('\n');
  for (const path of ['/api/cases"', '/api/cases/$CASE_ID"', '/api/tasks"', '/claim"', '/complete"', '/messages"', '/audit"', '/audit/verify"']) {
    expect(commands).toContain(path);
  }
});

test('every curl example of the integrator guide runs and answers what the guide shows', async () => {
  const env: Record<string, string> = {
    FLOWPATH: s.url,
    APP_KEY: keys[0]!.key,
    OPERATOR_KEY: keys[1]!.key,
    AUDITOR_KEY: keys[2]!.key,
  };
  for (const ex of parseExamples(guide)) {
    // What the server does right after a commit (connectors, timers due now) has happened by the next request.
    await s.settle();
    const req = curlRequest(shellWords(ex.command, env));
    const res = await fetch(req.url, { method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
    const text = await res.text();
    const where = `docs/integrator-guide.md:${ex.line} ${req.method} ${req.url.replace(s.url, '')}`;
    expect(res.status, `${where} → ${text.slice(0, 500)}`).toBe(ex.status);
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (ex.shown !== undefined) expect(mismatches(ex.shown, body), where).toEqual([]);
    for (const c of ex.captures) {
      const v = pick(body, c.path);
      expect(typeof v, `${where}: capture ${c.name} from ${c.path}`).toBe('string');
      env[c.name] = v as string;
    }
  }
});
