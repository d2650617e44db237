/**
 * The two HTTP servers of run 3, on loopback: the Flowpath API (runtime, SQLite store with its
 * defaults, one app key) and an Express hello-world route that accepts the same JSON body.
 * Both use the very Express the runtime depends on (loaded from the runtime package), so the
 * framework and its version are the same on both sides.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type ApiKey } from '@flowpath/runtime-api';
import { openFixture, type StoreFixture } from './lifecycle';

/** The key the load generator sends as `Authorization: Bearer …`. */
export const APP_KEY: ApiKey = { key: 'bench-app-key-0123456789abcdef', name: 'bench-app', roles: ['app'] };

export interface RunningServer {
  url: string;
  /** Cases in the store (Flowpath only), to check that every 2xx was a real case. */
  countCases?: () => number;
  /** Requests answered so far (hello-world only; Flowpath counts cases). */
  countRequests?: () => number;
  /** COMMITs and the transactions they carried so far (Flowpath only: group commit). */
  commits?: () => { batches: number; transactions: number };
  close: () => Promise<void>;
}

function listen(handler: (req: never, res: never) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const app = handler as unknown as { listen: (port: number, host: string, cb: () => void) => Server };
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
    server.on('error', reject);
  });
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the Flowpath API with the bench flow published, on a fresh store (`synchronous=FULL` unless told). */
export async function startFlowpath(synchronous: 'full' | 'normal' = 'full'): Promise<RunningServer> {
  const fixture: StoreFixture = await openFixture('http', undefined, synchronous);
  const app = createApp({ runtime: fixture.rt, apiKeys: [APP_KEY] });
  const server = await listen(app as never);
  const count = fixture.store.db.prepare('SELECT COUNT(*) AS n FROM cases');
  return {
    url: urlOf(server),
    countCases: () => Number((count.get() as { n: number }).n),
    commits: () => ({ batches: fixture.store.groupCommit.batches, transactions: fixture.store.groupCommit.transactions }),
    close: async () => {
      await closeServer(server);
      await fixture.close();
    },
  };
}

interface HelloRequest {
  body: unknown;
}
interface HelloResponse {
  status: (code: number) => HelloResponse;
  json: (body: unknown) => void;
}
interface ExpressLike {
  (): { disable: (s: string) => void; post: (path: string, ...handlers: unknown[]) => void };
  json: (opts: { limit: number }) => unknown;
}

/** Starts the hello-world: Express 5, JSON body parsed, 201 with a small JSON reply. */
export async function startHello(): Promise<RunningServer> {
  const requireFromRuntime = createRequire(new URL('../../../runtime-api/package.json', import.meta.url));
  const express = requireFromRuntime('express') as ExpressLike;
  const app = express();
  app.disable('x-powered-by');
  let answered = 0;
  app.post('/api/cases', express.json({ limit: 1024 * 1024 }), (req: HelloRequest, res: HelloResponse) => {
    answered += 1;
    const body = req.body as { flow?: unknown; data?: Record<string, unknown> };
    res.status(201).json({ hello: 'world', flow: body.flow, fields: Object.keys(body.data ?? {}).length });
  });
  const server = await listen(app as never);
  return { url: urlOf(server), countRequests: () => answered, close: () => closeServer(server) };
}
