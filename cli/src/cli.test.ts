import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const template = join(repo, 'process-templates', 'sme-loan', 'flow.json');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-cli-'));
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const broken = {
  key: 'broken',
  name: { en: 'Broken', 'zh-CN': '坏' },
  caseSchema: { type: 'object', properties: {} },
  nodes: [
    { id: 's', kind: 'start', name: { en: 's', 'zh-CN': 's' } },
    { id: 'e', kind: 'end', name: { en: 'e', 'zh-CN': 'e' }, outcome: 'done' },
  ],
  edges: [{ id: 'x', source: 's', target: 'nowhere' }],
};

describe('flowpath validate', () => {
  it('exits 0 for a valid flow', async () => {
    const r = await cli('validate', template);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok');
  });

  it('exits 1 and prints machine-readable issues with --json', async () => {
    const r = await cli('validate', '--json', tmp('broken.json', broken));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { valid: boolean; issues: Record<string, unknown>[] };
    expect(json.valid).toBe(false);
    expect(json.issues).toContainEqual(
      expect.objectContaining({ code: 'edge.target.missing', severity: 'error', edgeId: 'x', nodeId: null, path: '/edges/0/target', message: expect.stringContaining('nowhere') }),
    );
  });

  it('speaks Chinese with --lang zh-CN', async () => {
    const r = await cli('validate', '--lang', 'zh-CN', tmp('broken.json', broken));
    expect(r.out).toContain('不是流程中的节点');
  });

  it('reports a file that is not JSON instead of crashing', async () => {
    const r = await cli('validate', '--json', tmp('bad.json', '{ nope'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).issues[0].code).toBe('file.json.invalid');
  });

  it('refuses unknown options with usage and exit 2', async () => {
    const r = await cli('validate', '--frobnicate', template);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage');
  });

  it('answers --help of any command with its usage on stdout and exit 0', async () => {
    const simulate = await cli('simulate', '--help');
    expect(simulate.code).toBe(0);
    expect(simulate.out).toContain('flowpath simulate --flow KEY');
    expect(simulate.out).not.toContain('copy-to-pg');
    const copy = await cli('copy-to-pg', '-h');
    expect(copy).toMatchObject({ code: 0, err: '' });
    expect(copy.out).toContain('flowpath copy-to-pg [--data DIR]');
    const validate = await cli('validate', '--help');
    expect(validate.code).toBe(0);
    expect(validate.out).toContain('flowpath validate FLOW.json');
  });
});

describe('flowpath test', () => {
  const whitelist = join(repo, 'process-templates', 'sme-loan', 'scenarios', '01-whitelist-instant-approval.json');
  const scenario = (expect: Record<string, unknown>) => {
    const s = JSON.parse(readFileSync(whitelist, 'utf8')) as Record<string, unknown>;
    return tmp('s.json', { ...s, flow: template, expect });
  };

  it('runs template scenarios and exits 0 when all pass', async () => {
    const r = await cli('test', whitelist);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 passed, 0 failed/);
  });

  it('exits 1 and names what differed when a scenario fails', async () => {
    const r = await cli('test', '--json', scenario({ status: 'cancelled' }));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { failed: number; scenarios: { failures: string[] }[] };
    expect(json.failed).toBe(1);
    expect(json.scenarios[0]?.failures.some((f) => f.startsWith('status: expected cancelled'))).toBe(true);
  });

  it('fails a scenario whose file is not a scenario', async () => {
    const r = await cli('test', tmp('x.json', { hello: 1 }));
    expect(r.code).toBe(1);
    expect(r.out).toContain('not a scenario');
  });
});
