/**
 * Several real runtime processes on one PostgreSQL schema, as an operator runs them behind a load
 * balancer: `node --import tsx runtime-api/src/main.ts`, each with its own port and data folder,
 * all with the same FLOWPATH_DATABASE_URL, FLOWPATH_PG_SCHEMA and API keys. Tests talk to them
 * over loopback HTTP only and may SIGKILL any of them.
 *
 * Node is started directly, not through the `tsx` command, whose wrapper process would survive
 * a SIGKILL meant for the server and leave it running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiKey } from '@flowpath/runtime-api';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port (the OS picks one; it is released for the child to take). */
export async function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.unref();
    s.on('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** One runtime process. */
export class RuntimeProcess {
  readonly url: string;
  private proc: ChildProcess | undefined;
  private exitInfo: string | undefined;
  private readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly port: number,
    private readonly dir: string,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(dir, `${name}.log`);
    writeFileSync(this.logFile, '');
  }

  get alive(): boolean {
    return this.proc !== undefined && this.exitInfo === undefined;
  }

  /** Spawns the process; `ready()` waits for it to answer. */
  spawn(): void {
    const proc = spawn(process.execPath, ['--import', 'tsx', join('runtime-api', 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), FLOWPATH_DATA: join(this.dir, this.name) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.exitInfo = undefined;
    const log = (b: Buffer): void => appendFileSync(this.logFile, b);
    proc.stdout?.on('data', log);
    proc.stderr?.on('data', log);
    proc.once('exit', (code, signal) => {
      this.exitInfo = String(code ?? signal);
    });
  }

  /** Resolves once /api/health answers 200; fails if the process exits first or takes too long. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitInfo !== undefined) throw new Error(`${this.name} exited during start (${this.exitInfo}):\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown code runs, open transactions and leases are simply abandoned. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || this.exitInfo !== undefined) return;
    const gone = new Promise<void>((ok) => p.once('exit', () => ok()));
    p.kill(signal);
    const force = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(force);
  }

  /** The last lines the process wrote. */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Processes sharing one schema. */
export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'flowpath-multiprocess-'));
  readonly processes: RuntimeProcess[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts `count` processes at once (`extraEnv` per process name) and waits until all answer. */
  async start(count: number, extraEnv: (name: string) => Record<string, string> = () => ({}), timeoutMs = 45_000): Promise<void> {
    for (let i = 0; i < count; i++) {
      const name = `p${i + 1}`;
      this.processes.push(new RuntimeProcess(name, await freePort(), this.dir, { ...this.env, ...extraEnv(name) }));
    }
    for (const p of this.processes) p.spawn();
    await Promise.all(this.processes.map((p) => p.ready(timeoutMs)));
  }

  live(): RuntimeProcess[] {
    return this.processes.filter((p) => p.alive);
  }

  /** Stops every process (SIGTERM, SIGKILL after 10 s) and deletes the folder. */
  async dispose(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill('SIGTERM')));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every process's log tail, for a failure message. */
  logs(): string {
    return this.processes.map((p) => `--- ${p.name} (${p.alive ? 'alive' : 'dead'})\n${p.logTail()}`).join('\n');
  }
}

/** Environment for the processes: the shared database, keys and a short outbox lease. */
export function clusterEnv(databaseUrl: string, schema: string, keys: readonly ApiKey[], leaseMs: number): Record<string, string> {
  return {
    FLOWPATH_DATABASE_URL: databaseUrl,
    FLOWPATH_PG_SCHEMA: schema,
    FLOWPATH_PG_POOL_MAX: '6',
    FLOWPATH_API_KEYS: JSON.stringify(keys),
    FLOWPATH_OUTBOX_LEASE_MS: String(leaseMs),
    FLOWPATH_LOG_LEVEL: 'warn',
  };
}

/** An HTTP answer, or `undefined` when none came (connection refused or reset, or too slow). */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One request with a deadline; a network failure is `undefined`, not an exception. */
export async function call(base: string, method: string, path: string, bearer: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer | undefined> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  } catch {
    return undefined;
  }
}
