/**
 * The real server as a child process: `node --import tsx runtime-api/src/main.ts` with its own
 * port, data folder and API keys, as an operator would run it. Tests kill it with SIGKILL (no
 * shutdown code runs, exactly like a crash or `kill -9`), restart it on the same data folder
 * and talk to it over loopback HTTP only.
 *
 * Node is started directly rather than through the `tsx` command: that command runs the server
 * in a grandchild process, and a SIGKILL to the wrapper would leave the real server running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiKey } from '@flowpath/runtime-api';
import { sleep } from './rng';

/** The repository root (the server resolves templates and the designer from there). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A free loopback port, found by letting the OS pick one and releasing it. */
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

export interface ChildServerOptions {
  keys: readonly ApiKey[];
  /** Reuse a data folder; by default a fresh temporary one is made (and deleted by `dispose`). */
  dataDir?: string;
  /** Extra environment, e.g. FLOWPATH_WEBHOOK_TARGETS. */
  env?: Record<string, string>;
}

/** One server process at a time on a fixed port and data folder; `start` again after `kill` to restart. */
export class ChildServer {
  readonly dataDir: string;
  readonly dbFile: string;
  /** How often the process was started, killed with SIGKILL and stopped with SIGTERM. */
  readonly counts = { starts: 0, kills: 0, stops: 0 };
  /** The startup banner of the last start (it says which sync mode the store runs in). */
  banner = '';
  private proc: ChildProcess | undefined;
  private port = 0;
  private log: WriteStream | undefined;
  private readonly ownsDir: boolean;

  constructor(private readonly opts: ChildServerOptions) {
    this.ownsDir = opts.dataDir === undefined;
    this.dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'flowpath-reliability-'));
    this.dbFile = join(this.dataDir, 'flowpath.db');
  }

  get url(): string {
    if (this.port === 0) throw new Error('server not started yet');
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** Starts the server and resolves once /api/health answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.proc) throw new Error('server already running');
    if (this.port === 0) this.port = await freePort();
    this.log ??= createWriteStream(join(this.dataDir, 'server.log'), { flags: 'a' });
    const proc = spawn(process.execPath, ['--import', 'tsx', join('runtime-api', 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        FLOWPATH_DATA: this.dataDir,
        FLOWPATH_API_KEYS: JSON.stringify(this.opts.keys),
        FLOWPATH_LOG_LEVEL: 'warn',
        ...this.opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.counts.starts += 1;
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      this.log?.write(b);
    });
    proc.stderr?.on('data', (b: Buffer) => this.log?.write(b));
    let exited: number | string | null | undefined;
    proc.once('exit', (code, signal) => {
      exited = code ?? signal;
      if (this.proc === proc) this.proc = undefined;
    });

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited !== undefined) throw new Error(`server exited during start (${String(exited)}); log:\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`server did not become healthy within ${timeoutMs} ms; log:\n${this.logTail()}`);
      }
      await sleep(50);
    }
    this.banner = out;
  }

  /** SIGKILL: the process dies at once, mid-request, mid-transaction, without any shutdown code. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    const gone = new Promise<void>((ok) => p.once('exit', () => ok()));
    p.kill('SIGKILL');
    await gone;
    this.proc = undefined;
    this.counts.kills += 1;
  }

  /** SIGTERM: the graceful shutdown an operator's `systemctl stop` sends. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const p = this.proc;
    if (!p) return;
    const gone = new Promise<void>((ok) => p.once('exit', () => ok()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
    this.proc = undefined;
    this.counts.stops += 1;
  }

  /** Stops the server and deletes the data folder it made. */
  async dispose(): Promise<void> {
    await this.kill();
    await new Promise<void>((ok) => (this.log ? this.log.end(() => ok()) : ok()));
    this.log = undefined;
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The last lines the server wrote, for failure messages. */
  logTail(lines = 40): string {
    try {
      return readFileSync(join(this.dataDir, 'server.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
