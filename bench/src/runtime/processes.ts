/**
 * Real runtime processes for run 6, started as an operator starts them (`pnpm start` runs
 * `tsx src/main.ts` in runtime-api): `node --import tsx runtime-api/src/main.ts` with PORT,
 * FLOWPATH_DATA and, for PostgreSQL, FLOWPATH_DATABASE_URL and FLOWPATH_PG_SCHEMA. Node is started
 * directly rather than through the `tsx` command so that the process measured (and stopped) is the
 * server itself. Also: CPU time of a process and of the whole machine, read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A free loopback port (the OS picks one; it is released for the child to take). */
export function freePort(): Promise<number> {
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

/** One runtime server process on loopback. */
export class RuntimeProcess {
  readonly url: string;
  private proc: ChildProcess | undefined;
  private exitInfo: string | undefined;
  private readonly logFile: string;

  constructor(
    readonly name: string,
    port: number,
    private readonly dir: string,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.env = { ...env, PORT: String(port) };
    this.logFile = join(dir, `${name}.log`);
    writeFileSync(this.logFile, '');
  }

  /** The server's process id (its CPU time is read from /proc), once spawned. */
  get pid(): number {
    if (this.proc?.pid === undefined) throw new Error(`${this.name} is not running`);
    return this.proc.pid;
  }

  spawn(): void {
    const proc = spawn(process.execPath, ['--import', 'tsx', join('runtime-api', 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, FLOWPATH_DATA: join(this.dir, this.name) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const log = (b: Buffer): void => appendFileSync(this.logFile, b);
    proc.stdout?.on('data', log);
    proc.stderr?.on('data', log);
    proc.once('exit', (code, signal) => {
      this.exitInfo = String(code ?? signal);
    });
  }

  /** Resolves once GET /api/health answers 200; fails if the process exits first or takes too long. */
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

  /** SIGTERM (the server drains and closes its store), SIGKILL if it is still there after 10 s. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || this.exitInfo !== undefined) return;
    const gone = new Promise<void>((ok) => p.once('exit', () => ok()));
    p.kill('SIGTERM');
    const force = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(force);
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux Node supports

/** CPU time (user + system) of a process so far, in ms; 0 when it is gone or /proc is missing. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), in ms; undefined without /proc. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}
