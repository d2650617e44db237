/**
 * A small HTTP client for the reliability tests: every request has a deadline (a hang is a
 * failure, not a stuck CI job), and network errors are thrown so that callers can tell "no
 * answer" (the server died) from an answer.
 */
import type { ApiKey } from '@flowpath/runtime-api';

/** A parsed JSON body; tests check bodies with assertions, not static types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
  /** Wall time of the round trip. */
  ms: number;
}

export interface CallOptions {
  /** The key to send (by name, from the client's key set). */
  as?: string;
  /** A raw Authorization header instead of a key. */
  authorization?: string;
  body?: unknown;
  /** Sent as is (malformed or hostile bodies). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Deadline for the whole exchange (default 10 s). */
  timeoutMs?: number;
}

/** Thrown when the request got no HTTP answer: connection refused or reset, or the deadline passed. */
export class NoAnswer extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    readonly timedOut: boolean,
  ) {
    super(`${method} ${path}: no answer (${reason})`);
    this.name = 'NoAnswer';
  }
}

/** A client bound to a base URL (re-read on every call, so it follows a restarted server) and a key set. */
export class Api {
  private readonly byName: Map<string, string>;

  constructor(
    private readonly base: () => string,
    keys: readonly ApiKey[],
  ) {
    this.byName = new Map(keys.map((k) => [k.name, k.key]));
  }

  /** The Authorization header value for a key name. */
  bearer(name: string): string {
    const k = this.byName.get(name);
    if (!k) throw new Error(`no key named ${name}`);
    return `Bearer ${k}`;
  }

  async call(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.as !== undefined) headers.authorization = this.bearer(o.as);
    if (o.authorization !== undefined) headers.authorization = o.authorization;
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = o.contentType ?? 'application/json';
    const timeoutMs = o.timeoutMs ?? 10_000;
    const started = performance.now();
    let res: Response | undefined;
    let text = '';
    for (let attempt = 1; res === undefined; attempt++) {
      try {
        res = await fetch(this.base() + path, { method, headers, signal: AbortSignal.timeout(timeoutMs), ...(body !== undefined ? { body } : {}) });
        text = await res.text();
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
        // A kept-alive connection the server closed while this process was busy: a read may go again once, as browsers do.
        if (method === 'GET' && attempt === 1 && !timedOut && /ECONNRESET|other side closed|socket hang up/.test(cause)) {
          res = undefined;
          continue;
        }
        throw new NoAnswer(method, path, timedOut ? `no answer within ${timeoutMs} ms` : cause, timedOut);
      }
    }
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed, text, ms: performance.now() - started };
  }

  /** GET that must answer 200; returns the body. */
  async get(path: string, as: string): Promise<Json> {
    const r = await this.call('GET', path, { as });
    if (r.status !== 200) throw new Error(`GET ${path} as ${as}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.body;
  }

  /** Every item of a paged list (`items` + `nextCursor`). */
  async all(path: string, as: string): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Json = await this.get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, as);
      items.push(...(page.items as Json[]));
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return items;
  }
}
