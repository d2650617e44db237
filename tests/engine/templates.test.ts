import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, validateFlow } from '@flowpath/engine';
import type { FlowDefinition, Scenario } from '@flowpath/engine';
import { repoRoot } from './paths';

const dir = join(repoRoot, 'process-templates');
const keys = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(dir, d.name)).includes('flow.json'))
  .map((d) => d.name);
const flows: Record<string, FlowDefinition> = Object.fromEntries(
  keys.map((k) => {
    const f = JSON.parse(readFileSync(join(dir, k, 'flow.json'), 'utf8')) as FlowDefinition;
    return [f.key, f];
  }),
);

describe('process templates', () => {
  it('ships at least ten templates', () => {
    expect(keys.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(keys)('%s', (key) => {
    const flow = JSON.parse(readFileSync(join(dir, key, 'flow.json'), 'utf8')) as FlowDefinition;
    const scenarioDir = join(dir, key, 'scenarios');
    const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();

    it('is a valid flow with no warnings, keyed by its folder', () => {
      expect(validateFlow(flow, { calendars: ['cn-mainland'] })).toEqual([]);
      expect(flow.key).toBe(key);
    });

    it('has at least five scenarios', () => {
      expect(files.length).toBeGreaterThanOrEqual(5);
    });

    it.each(files)('scenario %s passes through the engine', (file) => {
      const scenario = JSON.parse(readFileSync(join(scenarioDir, file), 'utf8')) as Scenario;
      const result = runScenario(scenario, flow, { flows });
      expect(result.failures).toEqual([]);
    });
  });
});

describe('template docs', () => {
  it('docs/templates is current and every queue, list, connector and message is in the catalogue', async () => {
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ code: number | null; out: string }>((ok) => {
      execFile(process.execPath, ['--import', 'tsx', join(dir, 'generate-docs.ts'), '--check'], { cwd: repoRoot }, (err, stdout, stderr) =>
        ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
    expect(result.out).not.toMatch(/stale|missing/i);
    expect(result.code).toBe(0);
  });
});
