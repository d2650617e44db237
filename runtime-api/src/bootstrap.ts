/**
 * First start: the templates of `process-templates/` become published flows, and API keys for
 * a first look are created when none are configured.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValid, validateFlow, type FlowDefinition } from '@flowpath/engine';
import { contentHash } from './hash';
import { parseApiKeys, type ApiKey } from './http/auth';
import type { FlowpathRuntime } from './runtime/runtime';

/** Actor recorded for what first start does. */
export const BOOTSTRAP_ACTOR = 'flowpath-bootstrap';

export interface TemplateLoad {
  loaded: string[];
  /** Templates stored as drafts only, because they do not validate here (with their first issue). */
  draftsOnly: { key: string; issue: string }[];
}

/** Reads every `<dir>/<name>/flow.json`. */
export function readTemplates(dir: string): FlowDefinition[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'flow.json')))
    .map((d) => d.name)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name, 'flow.json'), 'utf8')) as FlowDefinition);
}

/**
 * Stores each flow as a draft and, when it validates, as published version 1 with a release
 * policy defaulting to it. Flows already in the store are left alone, so this is safe to rerun.
 */
export async function loadFlows(rt: FlowpathRuntime, flows: readonly FlowDefinition[]): Promise<TemplateLoad> {
  const result: TemplateLoad = { loaded: [], draftsOnly: [] };
  const now = rt.now();
  // Published first those that others start as sub-flows, so validation finds them.
  const ordered = [...flows].sort((a, b) => Number(usesSubFlows(a)) - Number(usesSubFlows(b)));
  for (const def of ordered) {
    await rt.transact(async (tx) => {
      if (await tx.getFlow(def.key)) return;
      const draft = def as unknown as Record<string, unknown>;
      await tx.insertFlow({ key: def.key, draft, draftRevision: 1, owner: def.owner ?? null, createdBy: BOOTSTRAP_ACTOR, createdAt: now, updatedBy: BOOTSTRAP_ACTOR, updatedAt: now });
      const published = (await tx.listFlows()).filter((f) => f.latestVersion !== null).map((f) => f.key);
      const issues = validateFlow(def, { connectors: rt.connectors.names(), flows: [...published, def.key], calendars: ['cn-mainland', ...(await tx.listCalendars()).map((c) => c.id)] });
      if (!isValid(issues)) {
        const first = issues.find((i) => i.severity === 'error');
        result.draftsOnly.push({ key: def.key, issue: first ? `${first.code} at ${first.path}` : 'invalid' });
        return;
      }
      const hash = contentHash(def);
      await tx.insertVersion({ key: def.key, version: 1, definition: def, hash, author: BOOTSTRAP_ACTOR, publishedBy: BOOTSTRAP_ACTOR, publishedAt: now, note: '首次启动时从流程模板库载入 · Loaded from the process templates on first start' });
      await tx.putReleasePolicy({ flowKey: def.key, defaultVersion: 1, pilots: [], split: null, revision: 0, updatedBy: BOOTSTRAP_ACTOR, updatedAt: now }, 0);
      await tx.appendAudit(`flow:${def.key}`, [{ at: now, actor: BOOTSTRAP_ACTOR, entry: { type: 'version.published', at: now, details: { version: 1, hash, source: 'process-templates' } } }]);
      result.loaded.push(def.key);
    });
  }
  return result;
}

function usesSubFlows(def: FlowDefinition): boolean {
  return def.nodes.some((n) => n.kind === 'sub-flow');
}

/** Queues and business roles of every user task, for first-look operator keys. */
export function queuesAndRoles(flows: readonly FlowDefinition[]): { queues: string[]; roles: string[] } {
  const queues = new Set<string>();
  const roles = new Set<string>();
  for (const f of flows) {
    for (const n of f.nodes) {
      if (n.kind !== 'user-task') continue;
      queues.add(n.queue);
      for (const r of n.roles ?? []) roles.add(r);
    }
  }
  return { queues: [...queues].sort(), roles: [...roles].sort() };
}

/**
 * Keys for a first look: one per role; the operator works every queue and holds every business
 * role, the supervisor looks after every queue.
 */
export function firstLookKeys(businessRoles: readonly string[]): ApiKey[] {
  const key = (): string => `fp_${randomBytes(24).toString('base64url')}`;
  return [
    { key: key(), name: 'admin', roles: ['admin'] },
    { key: key(), name: 'analyst', roles: ['analyst'] },
    { key: key(), name: 'owner', roles: ['owner'] },
    { key: key(), name: 'operator', roles: ['operator', ...businessRoles], queues: ['*'] },
    { key: key(), name: 'supervisor', roles: ['supervisor'], queues: ['*'] },
    { key: key(), name: 'app', roles: ['app'] },
    { key: key(), name: 'auditor', roles: ['auditor'] },
  ];
}

export interface KeySource {
  keys: ApiKey[];
  source: 'env' | 'file' | 'created';
  file?: string;
}

/**
 * The API keys: FLOWPATH_API_KEYS when set, else the keys file in the data folder, else new
 * first-look keys written to that file (readable by the owner only). Throws on an invalid list.
 */
export function resolveApiKeys(envValue: string | undefined, dataDir: string, businessRoles: readonly string[]): KeySource {
  const file = join(dataDir, 'api-keys.json');
  const parse = (text: string, where: string): ApiKey[] => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`${where} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { keys, errors } = parseApiKeys(json);
    if (errors.length) throw new Error(`${where} is invalid: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    return keys;
  };
  if (envValue !== undefined && envValue.trim() !== '') return { keys: parse(envValue, 'FLOWPATH_API_KEYS'), source: 'env' };
  if (existsSync(file)) return { keys: parse(readFileSync(file, 'utf8'), file), source: 'file', file };
  const keys = firstLookKeys(businessRoles);
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return { keys, source: 'created', file };
}
