/** Small helpers the route modules share. */
import type { Actor, FlowDefinition } from '@flowpath/engine';
import type { KeyRing, Principal } from '../http/auth';
import { HttpProblem, badRequest, notFound } from '../http/problem';
import type { ParamSpec } from '../http/route';
import type { FlowpathRuntime } from '../runtime/runtime';
import type { CaseRecord, StoreTx } from '../store/store';
import { FLOW_KEY_PATTERN } from '../http/schemas';

export interface Limits {
  /** Largest request body in bytes. */
  bodyBytes: number;
}

export interface Deps {
  rt: FlowpathRuntime;
  limits: Limits;
  keys: KeyRing;
}

export const ALL_ROLES = ['analyst', 'owner', 'operator', 'supervisor', 'app', 'auditor', 'admin'] as const;

export const flowKeyParam: Record<string, ParamSpec> = {
  key: { schema: { type: 'string', pattern: FLOW_KEY_PATTERN }, description: 'Flow key: lowercase letters, digits and dashes.' },
};
export const uuidParam = (name: string, what: string): Record<string, ParamSpec> => ({
  [name]: { schema: { type: 'string', minLength: 1, maxLength: 100 }, description: what },
});

export const paging = {
  limit: { schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, description: 'Page size (1..200, default 50).' },
  cursor: { schema: { type: 'string', maxLength: 500 }, description: 'The `nextCursor` of the previous page.' },
} satisfies Record<string, ParamSpec>;

export const idempotencyHeader: Record<string, ParamSpec> = {
  'Idempotency-Key': {
    schema: { type: 'string', minLength: 1, maxLength: 200 },
    description: 'Retry-safe key: the same key from the same API key returns the original response (kept 24 hours).',
  },
};

export const preferHeader: Record<string, ParamSpec> = {
  Prefer: {
    schema: { type: 'string', maxLength: 100 },
    description:
      'RFC 7240 `wait=<seconds>` (at most 10): answer once the automatic steps the request set off (connector calls, sub-flows) are done, ' +
      'so an instant decision comes back in this response. `Preference-Applied` says when it was honoured.',
  },
};

/** Seconds of `Prefer: wait=n`, capped at 10; undefined without it. */
export function preferWaitMs(header: string | undefined): number | undefined {
  const m = header ? /(?:^|[,;\s])wait=(\d{1,4})\b/i.exec(header) : null;
  return m ? Math.min(Number(m[1]), 10) * 1000 : undefined;
}

/** The engine actor for a caller. */
export function actorOf(p: Principal): Actor {
  return { id: p.name, roles: [...p.roles] };
}

/** A strong ETag for a revision number. */
export const etag = (revision: number): string => `"${revision}"`;

/** The revision an `If-Match` header names; undefined when absent. */
export function ifMatchRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!m) {
    throw new HttpProblem(400, 'request.if-match.invalid', 'If-Match must carry the revision as an ETag, e.g. If-Match: "3".', {
      errors: [{ path: '/If-Match', code: 'header.if-match', message: 'expected "<revision>"', in: 'header' }],
    });
  }
  return Number(m[1]);
}

/** An ISO date-time query parameter (already checked against `format: date-time`) as UTC text with milliseconds, the stores' time form. */
export function queryTime(v: unknown, name: string): string {
  const ms = Date.parse(String(v));
  if (Number.isNaN(ms)) {
    throw badRequest('request.query.invalid', 'A query parameter is not valid.', [{ path: `/${name}`, code: 'query.date-time', message: 'not a date-time', in: 'query' }]);
  }
  return new Date(ms).toISOString();
}

/** 400 when a `from` time is not before its `to` time. */
export function assertTimeRange(from: string | undefined, to: string | undefined, fromName: string, toName: string): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw badRequest('request.query.invalid', `${fromName} must be before ${toName}.`, [
      { path: `/${fromName}`, code: 'query.range', message: `must be before ${toName}`, in: 'query' },
    ]);
  }
}

/** True when an `If-None-Match` header names `tag` (weak comparison, RFC 9110 §13.1.2) or is `*`. */
export function ifNoneMatchHits(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const opaque = (t: string): string => t.trim().replace(/^W\//, '');
  const want = opaque(tag);
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === want);
}

/** Opaque page cursor. */
export function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeCursor; `check` says whether its content has the right shape. */
export function decodeCursor<T>(text: unknown, check: (v: unknown) => v is T): T | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(String(text), 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through to the problem below
  }
  throw badRequest('request.cursor.invalid', 'The cursor is not one this server gave out.', [
    { path: '/cursor', code: 'query.cursor', message: 'unknown cursor' },
  ]);
}

/** The case, or 404. */
export async function loadCase(tx: StoreTx, id: string): Promise<CaseRecord | undefined> {
  return tx.getCase(id);
}

/** The definition a case runs on. */
export async function caseDefinition(rt: FlowpathRuntime, tx: StoreTx, c: CaseRecord): Promise<FlowDefinition> {
  return rt.definitions.definition(tx, c.flowKey, c.version);
}

/** 404 for a flow that does not exist. */
export async function requireFlow(tx: StoreTx, key: string): Promise<NonNullable<Awaited<ReturnType<StoreTx['getFlow']>>>> {
  const f = await tx.getFlow(key);
  if (!f) throw notFound('flow.not-found', `There is no flow ${key}.`);
  return f;
}
