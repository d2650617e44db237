/**
 * `pnpm start`: opens the store in the data folder, loads the templates on first start, creates
 * API keys for a first look if none are configured, and serves the API and the designer on one port.
 *
 * Environment: PORT (8080), FLOWPATH_DATA (data folder, default <repo>/.data), FLOWPATH_API_KEYS
 * (JSON list of keys), FLOWPATH_SYNC (full | normal), FLOWPATH_BODY_LIMIT (bytes, default 1 MiB),
 * FLOWPATH_WEBHOOK_TARGETS (JSON object name → URL), FLOWPATH_WEBHOOK_URL (the `default` target),
 * FLOWPATH_WEBHOOK_SANDBOX (on | off, default on), FLOWPATH_LOG_LEVEL (info).
 * FLOWPATH_DATABASE_URL (postgres://…) uses PostgreSQL instead of the SQLite file, with
 * FLOWPATH_PG_SCHEMA (flowpath) and FLOWPATH_PG_POOL_MAX (10); FLOWPATH_OUTBOX_LEASE_MS (60000) is
 * how long a process holds an outbox row; see docs/operations.md.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp, DEFAULT_BODY_LIMIT } from './app';
import { loadFlows, queuesAndRoles, readTemplates, resolveApiKeys } from './bootstrap';
import { defaultConnectors } from './connectors';
import { DEMO_SPECS } from './health/demo-history';
import { drainDigests } from './health/digests';
import { FlowpathRuntime } from './runtime/runtime';
import { openSqliteStore } from './store/sqlite-store';
import { describePgUrl, pgOptionsFromEnv } from './store/pg-env';
import { openPgStore } from './store/pg-store';

/** The repository root, whatever directory the server was started from. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fail(message: string): never {
  process.stderr.write(`flowpath: ${message}\n`);
  process.exit(1);
}

function intEnv(name: string, fallback: number, min = 1): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`${name} must be an integer of at least ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function jsonEnv(name: string): Record<string, string> {
  const v = process.env[name];
  if (!v) return {};
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((x) => typeof x === 'string')) throw new Error('expected an object of name → URL');
    return parsed as Record<string, string>;
  } catch (e) {
    return fail(`${name} is invalid: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function main(): Promise<void> {
  const logger = pino({ level: process.env.FLOWPATH_LOG_LEVEL ?? 'info' });
  // PORT=0 picks a free port (tests); the address printed is the real one.
  const requestedPort = intEnv('PORT', 8080, 0);
  // A relative FLOWPATH_DATA means relative to where the user ran the command (pnpm sets INIT_CWD).
  const dataEnv = process.env.FLOWPATH_DATA;
  const dataDir = dataEnv ? (isAbsolute(dataEnv) ? dataEnv : resolve(process.env.INIT_CWD ?? process.cwd(), dataEnv)) : join(REPO_ROOT, '.data');
  const sync = process.env.FLOWPATH_SYNC ?? 'full';
  if (sync !== 'full' && sync !== 'normal') fail(`FLOWPATH_SYNC must be full or normal, got ${sync}`);
  mkdirSync(dataDir, { recursive: true });

  let pgOptions;
  try {
    pgOptions = pgOptionsFromEnv(process.env);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const pgStore = pgOptions
    ? await openPgStore({ ...pgOptions, onError: (e) => logger.warn({ err: e.message }, 'PostgreSQL connection lost while idle') })
    : undefined;
  const store = pgStore ?? openSqliteStore(join(dataDir, 'flowpath.db'), { synchronous: sync });
  const webhookTargets = jsonEnv('FLOWPATH_WEBHOOK_TARGETS');
  if (process.env.FLOWPATH_WEBHOOK_URL) webhookTargets.default = process.env.FLOWPATH_WEBHOOK_URL;
  const runtime = new FlowpathRuntime({
    store,
    logger,
    connectors: defaultConnectors({ webhookTargets, webhookSandbox: process.env.FLOWPATH_WEBHOOK_SANDBOX !== 'off' }),
    // How long a process holds an outbox row before another may take it over (it may have died).
    leaseMs: intEnv('FLOWPATH_OUTBOX_LEASE_MS', 60_000, 1000),
  });

  const templates = readTemplates(join(REPO_ROOT, 'process-templates'));
  const firstStart = async (): Promise<void> => {
    if ((await store.listFlows()).length > 0) return;
    const loaded = await loadFlows(runtime, templates);
    logger.info({ published: loaded.loaded.length, draftsOnly: loaded.draftsOnly }, 'loaded process templates');
  };
  // Several processes starting at once on one database: one loads the templates, the others wait and find them.
  await (pgStore ? pgStore.withLock('first-start', firstStart) : firstStart());

  let keys;
  try {
    keys = resolveApiKeys(process.env.FLOWPATH_API_KEYS, dataDir, queuesAndRoles(templates).roles);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }

  const app = createApp({
    runtime,
    apiKeys: keys.keys,
    bodyLimitBytes: intEnv('FLOWPATH_BODY_LIMIT', DEFAULT_BODY_LIMIT),
    designerDist: join(REPO_ROOT, 'designer', 'dist'),
  });
  runtime.start();
  // Process-health digests: ended cases are added every few seconds, so reports over long periods stay fast.
  let digesting = false;
  const digests = setInterval(() => {
    if (digesting) return;
    digesting = true;
    drainDigests(runtime)
      .catch((e: unknown) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'process-health digests could not be brought up to date'))
      .finally(() => (digesting = false));
  }, 5000);
  digests.unref();

  const server: Server = await new Promise((ok, ko) => {
    const s = app.listen(requestedPort, () => ok(s));
    s.on('error', ko);
  });

  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : requestedPort;
  const lines = [
    '',
    `Flowpath is running: designer  http://localhost:${port}/`,
    `                     API       http://localhost:${port}/api  (OpenAPI: /api/openapi.json)`,
    pgOptions?.connectionString
      ? `Database: PostgreSQL ${describePgUrl(pgOptions.connectionString)} schema ${pgOptions.schema} (keys file in ${dataDir})`
      : `Data folder: ${dataDir} (sync=${sync})`,
  ];
  if (keys.source === 'created') {
    lines.push(`API keys created for a first look (saved in ${keys.file}):`);
    for (const k of keys.keys) lines.push(`  ${k.name.padEnd(10)} ${k.key}`);
  } else {
    lines.push(`API keys: ${keys.keys.length} from ${keys.source === 'env' ? 'FLOWPATH_API_KEYS' : keys.file}`);
  }
  lines.push(
    'Process health on a demo history (months of simulated cases with a pilot at two branches; never loaded into a folder that holds cases):',
    '  pnpm flowpath simulate --flow sme-loan --months 3 --data .data-demo   then   FLOWPATH_DATA=.data-demo pnpm start',
    `  --flow can also be: ${Object.keys(DEMO_SPECS)
      .filter((k) => k !== 'sme-loan')
      .join(', ')} (one flow per data folder)`,
  );
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(digests);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // Finish the requests in flight, then the scheduler's and worker's work in hand, then close the file.
    const drained = new Promise<void>((ok) => server.close(() => ok()));
    server.closeIdleConnections();
    void drained
      .then(() => runtime.stop())
      .then(() => store.close())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
