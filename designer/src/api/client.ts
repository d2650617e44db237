import type { FlowDefinition } from '@flowpath/engine';
import { healthApi, type HealthApi } from '../health/health-api';
import { consoleApi, type ConsoleApi } from './console-api';
import type { IfChanged } from './console-types';
import type { ConnectorInfo, Draft, FlowSummary, Me, Problem, PublishOptions, ReleasePolicy, VersionDetail, VersionSummary } from './types';

/** An HTTP error from the runtime, carrying its problem+json body. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface ApiClientOptions {
  /** Returns the API key to send, or null when signed out. */
  getKey: () => string | null;
  /** The UI language, sent as Accept-Language so server messages match it. */
  getLang?: () => string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

type Json = Record<string, unknown> | unknown[];

/** The designer's and the operations console's only door to the runtime API. */
export interface ApiClient extends ConsoleApi, HealthApi {
  me(): Promise<Me>;
  listConnectors(): Promise<ConnectorInfo[]>;
  listCalendars(): Promise<string[]>;
  listFlows(): Promise<FlowSummary[]>;
  createFlow(definition: FlowDefinition): Promise<Draft>;
  getDraft(key: string): Promise<Draft>;
  /** Saves the draft; a stale `revision` is refused with 409 (ApiError with `currentRevision`). */
  saveDraft(key: string, definition: FlowDefinition, revision: number | null): Promise<Draft>;
  publish(key: string, options: PublishOptions): Promise<VersionSummary>;
  listVersions(key: string): Promise<VersionSummary[]>;
  getVersion(key: string, version: number): Promise<VersionDetail>;
  getReleasePolicy(key: string): Promise<ReleasePolicy>;
  /** Replaces the policy; `policy.revision` is sent as If-Match so a concurrent change is a 409. */
  putReleasePolicy(key: string, policy: ReleasePolicy): Promise<ReleasePolicy>;
}

/** Creates the typed client; every request carries the key as a bearer token. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(method: string, path: string, body?: Json, headers: Record<string, string> = {}): Promise<T> {
    const key = options.getKey();
    const lang = options.getLang?.();
    const init: RequestInit = {
      method,
      headers: {
        Accept: 'application/json, application/problem+json',
        ...(lang ? { 'Accept-Language': lang } : {}),
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    };
    let res: Response;
    try {
      res = await doFetch(base + path, init);
    } catch (err) {
      throw new ApiError({
        type: 'about:blank',
        title: 'Network error',
        status: 0,
        code: 'network.unreachable',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) throw new ApiError(toProblem(res.status, res.statusText, parsed, text));
    return parsed as T;
  }

  /**
   * A GET with `If-None-Match`: a 304 comes back as `notModified` rather than as an error. The
   * browser's own cache is bypassed so the 304 reaches us instead of being turned into a copy of
   * the last body.
   */
  async function requestIfChanged<T>(path: string, etag: string | null): Promise<IfChanged<T>> {
    const key = options.getKey();
    const lang = options.getLang?.();
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method: 'GET',
        cache: 'no-store',
        headers: {
          Accept: 'application/json, application/problem+json',
          ...(lang ? { 'Accept-Language': lang } : {}),
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
          ...(etag ? { 'If-None-Match': etag } : {}),
        },
      });
    } catch (err) {
      throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network.unreachable', detail: err instanceof Error ? err.message : String(err) });
    }
    const tag = res.headers.get('etag');
    if (res.status === 304 && etag) return { notModified: true, etag: tag ?? etag };
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw new ApiError(toProblem(res.status, res.statusText, parsed, text));
    return { notModified: false, etag: tag, value: parsed as T };
  }

  /** A GET answered as text (CSV downloads); errors are the same ApiError as for JSON. */
  async function requestText(path: string, accept: string): Promise<string> {
    const key = options.getKey();
    const lang = options.getLang?.();
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method: 'GET',
        headers: { Accept: `${accept}, application/problem+json`, ...(lang ? { 'Accept-Language': lang } : {}), ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      });
    } catch (err) {
      throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network.unreachable', detail: err instanceof Error ? err.message : String(err) });
    }
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw new ApiError(toProblem(res.status, res.statusText, parsed, text));
    }
    return text;
  }

  const enc = encodeURIComponent;

  return {
    ...consoleApi(request, requestIfChanged),
    ...healthApi(request, requestText),
    async me() {
      return request<Me>('GET', '/api/me');
    },
    async listConnectors() {
      return listOf<ConnectorInfo>(await request<unknown>('GET', '/api/connectors'), 'connectors');
    },
    async listCalendars() {
      return listOf<{ id: string }>(await request<unknown>('GET', '/api/calendars'), 'calendars').map((c) => c.id);
    },
    async listFlows() {
      const body = await request<unknown>('GET', '/api/flows');
      return listOf<Partial<FlowSummary>>(body, 'flows').map(normaliseSummary);
    },
    async createFlow(definition) {
      return normaliseDraft(await request<unknown>('POST', '/api/flows', definition as unknown as Json), definition.key, definition);
    },
    async getDraft(key) {
      return normaliseDraft(await request<unknown>('GET', `/api/flows/${enc(key)}/draft`), key);
    },
    async saveDraft(key, definition, revision) {
      const headers: Record<string, string> = revision === null ? {} : { 'If-Match': `"${revision}"` };
      const body = await request<unknown>('PUT', `/api/flows/${enc(key)}/draft`, definition as unknown as Json, headers);
      return normaliseDraft(body, key, definition);
    },
    async publish(key, { note, revision, setDefault }) {
      const body = { note, ...(revision !== undefined ? { revision } : {}), ...(setDefault ? { setDefault: true } : {}) };
      return request<VersionSummary>('POST', `/api/flows/${enc(key)}/versions`, body);
    },
    async listVersions(key) {
      return listOf<VersionSummary>(await request<unknown>('GET', `/api/flows/${enc(key)}/versions`), 'versions');
    },
    async getVersion(key, version) {
      return request<VersionDetail>('GET', `/api/flows/${enc(key)}/versions/${version}`);
    },
    async getReleasePolicy(key) {
      return normalisePolicy(await request<unknown>('GET', `/api/flows/${enc(key)}/release-policy`));
    },
    async putReleasePolicy(key, { revision, defaultVersion, pilots, split }) {
      const body = { defaultVersion, pilots, split };
      return normalisePolicy(await request<unknown>('PUT', `/api/flows/${enc(key)}/release-policy`, body as unknown as Json, { 'If-Match': `"${revision}"` }));
    },
  };
}

function toProblem(status: number, statusText: string, body: unknown, text: string): Problem {
  if (isRecord(body) && typeof body.title === 'string') {
    return { ...body, type: typeof body.type === 'string' ? body.type : 'about:blank', title: body.title, status } as Problem;
  }
  return {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    status,
    ...(text && !isRecord(body) ? { detail: text.slice(0, 500) } : {}),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lists come back bare or wrapped (`{ items }` or `{ <name> }`); both are accepted. */
function listOf<T>(body: unknown, name: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (isRecord(body)) {
    const v = body[name] ?? body.items;
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

/** A bilingual name; a draft may lack one or both languages. */
function localized(v: unknown, fallback: string): { 'zh-CN': string; en: string } {
  const r = isRecord(v) ? v : {};
  const zh = typeof r['zh-CN'] === 'string' ? r['zh-CN'] : '';
  const en = typeof r.en === 'string' ? r.en : '';
  return { 'zh-CN': zh || en || fallback, en: en || zh || fallback };
}

function normaliseSummary(raw: Partial<FlowSummary> & Record<string, unknown>): FlowSummary {
  const versions = Array.isArray(raw.versions)
    ? (raw.versions as unknown[]).map((v) => (typeof v === 'number' ? v : isRecord(v) && typeof v.version === 'number' ? v.version : NaN)).filter((n) => !Number.isNaN(n))
    : typeof raw.latestVersion === 'number'
      ? Array.from({ length: raw.latestVersion }, (_, i) => i + 1)
      : [];
  return {
    key: String(raw.key ?? ''),
    name: localized(raw.name, String(raw.key ?? '')),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    versions,
    ...(typeof raw.latestVersion === 'number' ? { latestVersion: raw.latestVersion } : versions.length ? { latestVersion: Math.max(...versions) } : {}),
    ...(typeof raw.defaultVersion === 'number' ? { defaultVersion: raw.defaultVersion } : {}),
    ...(raw.draft ? { draft: raw.draft } : {}),
    pilots: Array.isArray(raw.pilots) ? raw.pilots : [],
  };
}

function normaliseDraft(body: unknown, key: string, sent?: FlowDefinition): Draft {
  if (!isRecord(body)) throw new ApiError({ type: 'about:blank', title: 'Unexpected response', status: 0, code: 'response.invalid' });
  // The draft's document is `definition`; a bare FlowDefinition (has `nodes`) is accepted too.
  const definition = (isRecord(body.definition) ? body.definition : Array.isArray(body.nodes) ? body : sent) as FlowDefinition | undefined;
  if (!definition) throw new ApiError({ type: 'about:blank', title: 'Unexpected response', status: 0, code: 'response.invalid' });
  return {
    key: typeof body.key === 'string' ? body.key : key,
    revision: typeof body.revision === 'number' ? body.revision : 0,
    definition,
    ...(typeof body.updatedAt === 'string' ? { updatedAt: body.updatedAt } : {}),
    ...(typeof body.updatedBy === 'string' ? { updatedBy: body.updatedBy } : {}),
  };
}

function normalisePolicy(body: unknown): ReleasePolicy {
  const b = isRecord(body) ? body : {};
  return {
    defaultVersion: typeof b.defaultVersion === 'number' ? b.defaultVersion : null,
    pilots: Array.isArray(b.pilots) ? (b.pilots as ReleasePolicy['pilots']) : [],
    split: isRecord(b.split) ? (b.split as unknown as NonNullable<ReleasePolicy['split']>) : null,
    revision: typeof b.revision === 'number' ? b.revision : 0,
  };
}
