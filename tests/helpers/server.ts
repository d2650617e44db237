/**
 * An in-process Flowpath server for HTTP tests: a fresh data folder, the SQLite store, a manual
 * clock and fixed API keys, listening on a free port. Time moves only with `clock.advance()`;
 * `settle()` then fires due timers and works the outbox, so tests never sleep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowDefinition } from '@flowpath/engine';
import {
  createApp,
  createManualClock,
  defaultConnectors,
  FlowpathRuntime,
  loadFlows,
  type ApiKey,
  type Connector,
  type EventSink,
  type FlowpathApp,
  type ManualClock,
  type RuntimeOptions,
  type SqliteStore,
  type Store,
} from '@flowpath/runtime-api';
import { expect } from 'vitest';
import { disposeTestStore, openTestStore } from '../store/api-store';

const key = (name: string, roles: string[], queues?: string[]): ApiKey => ({ key: `test-key-${name}-0123456789abcdef`, name, roles, ...(queues ? { queues } : {}) });

/** The keys every test server accepts, by name. */
export const KEYS = {
  admin: key('admin', ['admin']),
  analyst: key('analyst', ['analyst']),
  analyst2: key('analyst2', ['analyst']),
  owner: key('owner', ['owner']),
  operator: key('operator', ['operator'], ['credit-approval', 'operations']),
  operator2: key('operator2', ['operator'], ['credit-approval', 'operations']),
  senior: key('senior', ['operator'], ['credit-senior']),
  supervisor: key('supervisor', ['supervisor'], ['credit-approval']),
  supervisor2: key('supervisor2', ['supervisor'], ['credit-senior']),
  app: key('app', ['app']),
  app2: key('app2', ['app']),
  auditor: key('auditor', ['auditor']),
} satisfies Record<string, ApiKey>;

export type KeyName = keyof typeof KEYS;

/** A parsed JSON body. Tests check bodies with assertions (and the OpenAPI schemas), not with static types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** A key by name, a raw Authorization header value via `authorization`, or none. */
  as?: KeyName;
  authorization?: string;
  body?: unknown;
  /** Sent as is (for malformed bodies). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  app: FlowpathApp;
  rt: FlowpathRuntime;
  store: SqliteStore;
  clock: ManualClock;
  dir: string;
  request<T = Json>(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  /** Fires due timers and works the outbox until both are idle. */
  settle(): Promise<{ timers: number; jobs: number }>;
  /** Stops the server and closes the store, keeping the data folder; `start` again on `dir` to restart. */
  stop(): Promise<void>;
  /** Stops and deletes the data folder. */
  close(): Promise<void>;
}

export interface ServerOptions {
  flows?: FlowDefinition[];
  connectors?: Connector[];
  clock?: ManualClock;
  /** Reuse a data folder (restart); flows already there are kept. */
  dir?: string;
  bodyLimitBytes?: number;
  eventSink?: EventSink;
  /** Keys to accept instead of KEYS. */
  apiKeys?: ApiKey[];
  /** Wraps the store, e.g. to inject failures. */
  wrapStore?: (s: SqliteStore) => Store;
  /**
   * The test reads or edits the SQLite file itself (`store.db`), so it runs on SQLite even under
   * FLOWPATH_TEST_STORE=pg; tests/store covers the same behaviour on both stores.
   */
  sqliteFile?: true;
  /** How the runtime keeps the process-health facts (default: the store's default). */
  healthProjection?: RuntimeOptions['healthProjection'];
  healthProjectionDelayMs?: number;
}

/** Starts a server on port 0 with the given flows published as version 1. */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'flowpath-test-'));
  const clock = opts.clock ?? createManualClock();
  // SQLite in `dir`; FLOWPATH_TEST_STORE=pg runs the same tests on PostgreSQL (tests/store/api-store.ts).
  const store = await openTestStore(dir, opts.sqliteFile ? 'sqlite' : undefined);
  const connectors = opts.connectors ?? defaultConnectors({ webhookSandbox: true });
  const used = opts.wrapStore ? opts.wrapStore(store) : store;
  const rt = new FlowpathRuntime({
    store: used,
    clock,
    connectors,
    ...(opts.eventSink ? { eventSink: opts.eventSink } : {}),
    ...(opts.healthProjection !== undefined ? { healthProjection: opts.healthProjection } : {}),
    ...(opts.healthProjectionDelayMs !== undefined ? { healthProjectionDelayMs: opts.healthProjectionDelayMs } : {}),
  });
  if (opts.flows?.length) {
    const loaded = await loadFlows(rt, opts.flows);
    if (loaded.draftsOnly.length) throw new Error(`test flows did not validate: ${JSON.stringify(loaded.draftsOnly)}`);
  }
  const app = createApp({ runtime: rt, apiKeys: opts.apiKeys ?? Object.values(KEYS), ...(opts.bodyLimitBytes ? { bodyLimitBytes: opts.bodyLimitBytes } : {}) });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
    await rt.stop();
    await store.close();
  };

  return {
    url,
    app,
    rt,
    store,
    clock,
    dir,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.as) headers.authorization = `Bearer ${(opts.apiKeys?.find((k) => k.name === o.as) ?? KEYS[o.as]).key}`;
      if (o.authorization !== undefined) headers.authorization = o.authorization;
      let body: string | Buffer | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
      const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      if (/json/.test(res.headers.get('content-type') ?? '')) parsed = text ? JSON.parse(text) : undefined;
      return { status: res.status, headers: res.headers, body: parsed as never, text };
    },
    settle: () => rt.settle(),
    stop,
    async close() {
      await stop();
      await disposeTestStore(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asserts an RFC 9457 problem response with the status and code, and no internals leaked. */
export function expectProblem(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code, detail: res.body?.detail }).toMatchObject({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: `https://flowpath.dev/problems/${code}`, status, title: expect.any(String), detail: expect.any(String) });
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/** The error paths of a problem, sorted. */
export function errorPaths(res: ApiResponse): string[] {
  return ((res.body?.errors ?? []) as { path: string }[]).map((e) => e.path).sort();
}
