/**
 * API keys and roles. A caller sends `Authorization: Bearer <key>`; the key names a principal
 * with product roles (what it may do), queues (whose tasks it works) and, optionally, business
 * roles that user tasks may require (`roles` on a user-task node).
 */
import { sha256 } from '../hash';
import { HttpProblem, unauthorized, type ProblemError } from './problem';

export const PRODUCT_ROLES = ['analyst', 'owner', 'operator', 'supervisor', 'app', 'auditor', 'admin'] as const;
export type Role = (typeof PRODUCT_ROLES)[number];

/** One configured key, as in FLOWPATH_API_KEYS or the keys file. */
export interface ApiKey {
  key: string;
  name: string;
  roles: string[];
  /** Queues whose tasks an operator sees and works, or a supervisor looks after; `*` means every queue. */
  queues?: string[];
}

/** Who is calling. `name` is the actor recorded in the audit trail. */
export interface Principal {
  name: string;
  roles: ReadonlySet<string>;
  queues: readonly string[];
}

/** True when the principal has one of `roles` (admin has every role). */
export function hasRole(p: Principal, ...roles: readonly string[]): boolean {
  return p.roles.has('admin') || roles.some((r) => p.roles.has(r));
}

const listsQueue = (p: Principal, queue: string): boolean => p.queues.includes('*') || p.queues.includes(queue);

/** True when the principal works tasks of `queue`. */
export function worksQueue(p: Principal, queue: string): boolean {
  return p.roles.has('admin') || (p.roles.has('operator') && listsQueue(p, queue));
}

/** True when the principal supervises `queue`: sees and reassigns its tasks, without working them (decision 0050). */
export function supervisesQueue(p: Principal, queue: string): boolean {
  return p.roles.has('admin') || (p.roles.has('supervisor') && listsQueue(p, queue));
}

/** True when the principal sees the tasks of `queue` as one who works or supervises it. */
export function looksAfterQueue(p: Principal, queue: string): boolean {
  return worksQueue(p, queue) || supervisesQueue(p, queue);
}

/** Finds the principal for a request's Authorization header. */
export class KeyRing {
  private readonly byHash = new Map<string, Principal>();
  private readonly byName = new Map<string, Principal>();

  constructor(keys: readonly ApiKey[]) {
    for (const k of keys) {
      const p: Principal = { name: k.name, roles: new Set(k.roles), queues: k.queues ?? [] };
      this.byHash.set(sha256(k.key), p);
      this.byName.set(k.name, p);
    }
  }

  /** The principal a key name stands for (to check who a task may be assigned to). */
  named(name: string): Principal | undefined {
    return this.byName.get(name);
  }

  /** The operators who work `queue` (by name), for choosing a colleague; admin-only keys are not listed. */
  operatorsOf(queue: string): Principal[] {
    return [...this.byName.values()].filter((p) => p.roles.has('operator') && worksQueue(p, queue)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The principal, or a 401 problem. */
  authenticate(header: string | undefined): Principal {
    if (!header) throw unauthorized('Send an API key: Authorization: Bearer <key>.');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('The Authorization header must be "Bearer <key>".');
    const p = this.byHash.get(sha256(m[1] as string));
    if (!p) throw unauthorized('The API key is not known.');
    return p;
  }
}

/** Checks a keys document (FLOWPATH_API_KEYS or the keys file) and returns its keys, or every problem with it. */
export function parseApiKeys(value: unknown): { keys: ApiKey[]; errors: ProblemError[] } {
  const errors: ProblemError[] = [];
  const keys: ApiKey[] = [];
  if (!Array.isArray(value)) {
    return { keys, errors: [{ path: '', code: 'keys.not-array', message: 'expected a JSON array of {"key","name","roles","queues"}' }] };
  }
  const names = new Set<string>();
  const secrets = new Set<string>();
  value.forEach((k: unknown, i) => {
    const at = `/${i}`;
    if (k === null || typeof k !== 'object' || Array.isArray(k)) {
      errors.push({ path: at, code: 'keys.entry.invalid', message: 'expected an object' });
      return;
    }
    const { key, name, roles, queues } = k as Record<string, unknown>;
    if (typeof key !== 'string' || key.length < 16) errors.push({ path: `${at}/key`, code: 'keys.key.short', message: 'a key must be a string of at least 16 characters' });
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) errors.push({ path: `${at}/name`, code: 'keys.name.invalid', message: 'a name of 1..100 characters is required' });
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string')) {
      errors.push({ path: `${at}/roles`, code: 'keys.roles.invalid', message: `roles must be a non-empty list drawn from ${PRODUCT_ROLES.join(', ')} (plus business roles)` });
    } else if (!roles.some((r) => (PRODUCT_ROLES as readonly string[]).includes(r as string))) {
      errors.push({ path: `${at}/roles`, code: 'keys.roles.no-product-role', message: `give at least one of ${PRODUCT_ROLES.join(', ')}` });
    }
    if (queues !== undefined && (!Array.isArray(queues) || !queues.every((q) => typeof q === 'string'))) {
      errors.push({ path: `${at}/queues`, code: 'keys.queues.invalid', message: 'queues must be a list of queue names' });
    }
    if (typeof name === 'string') {
      if (names.has(name)) errors.push({ path: `${at}/name`, code: 'keys.name.duplicate', message: `the name ${name} is used twice` });
      names.add(name);
    }
    if (typeof key === 'string') {
      if (secrets.has(key)) errors.push({ path: `${at}/key`, code: 'keys.key.duplicate', message: 'the same key is given twice' });
      secrets.add(key);
    }
    if (errors.length === 0) {
      keys.push({ key: key as string, name: name as string, roles: roles as string[], ...(queues ? { queues: queues as string[] } : {}) });
    }
  });
  return { keys: errors.length ? [] : keys, errors };
}

/** 403 unless the principal has one of the roles. */
export function requireRole(p: Principal, roles: readonly string[], what: string): void {
  if (!hasRole(p, ...roles)) {
    throw new HttpProblem(403, 'auth.role.missing', `${what} needs one of the roles ${roles.join(', ')}; the key ${p.name} has ${[...p.roles].join(', ')}.`);
  }
}
