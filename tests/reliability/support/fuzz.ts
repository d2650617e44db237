/**
 * Generators of hostile input for the fuzz tests (fast-check): JSON that is deep, huge, full of
 * prototype-ish keys and odd strings; mutations of a valid body (one part replaced, deleted or
 * added); json-logic rules built from every allowed operation plus unknown ones; and the
 * runner that reports the seed of a failure.
 */
import fc from 'fast-check';

/** Keys that have broken JavaScript services before: prototype names, pointer syntax, empties. */
export const hostileKey = fc.oneof(
  fc.constantFrom('constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', '', ' ', 'a.b', 'a/b', '~0', '~1', '$ref', '\u0000', 'é', '名字'),
  fc.string({ maxLength: 8 }),
);

/** Values that have broken JavaScript services before. */
export const hostileScalar = fc.constantFrom<unknown>(
  'constructor',
  '__proto__',
  'prototype',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e',
  '𝄞',
  '',
  ' ',
  'null',
  'NaN',
  '<script>alert(1)</script>',
  "'; DROP TABLE cases; --",
  '../../etc/passwd',
  'P99999999D',
  'PT0S',
  'T+99999',
  '9999-12-31T23:59:59.999Z',
  '0000-00-00',
  -0,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  0.1,
  2147483648,
  null,
  true,
  false,
);

/** Rules written to hurt: prototype reads, unknown or removed operations, growth bombs. */
export const hostileRules: unknown[] = [
  { var: 'constructor' },
  { var: '__proto__' },
  { var: 'constructor.prototype' },
  { var: 'toString' },
  { var: ['constructor.name', 'x'] },
  { var: { cat: ['constr', 'uctor'] } },
  { var: 'a.b.c.d.e.f.g.h' },
  { method: [{ var: 'customerId' }, 'toString'] },
  { log: [{ var: 'idNumber' }] },
  { eval: ['1+1'] },
  { constructor: [] },
  { __lookupGetter__: ['x'] },
  { reduce: [Array.from({ length: 30 }, (_, i) => i), { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] },
  { reduce: [Array.from({ length: 40 }, (_, i) => i), { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'] },
  { map: [Array.from({ length: 500 }, (_, i) => i), { map: [Array.from({ length: 500 }, (_, i) => i), { '+': [{ var: '' }, 1] }] }] },
  { all: [Array.from({ length: 1000 }, () => 1), { some: [Array.from({ length: 1000 }, () => 1), { '==': [1, 2] }] }] },
  { substr: [{ cat: Array.from({ length: 200 }, () => 'x'.repeat(200)) }, 0, 1e9] },
  { in: ['x', Array.from({ length: 5000 }, (_, i) => `v${i}`)] },
  { addDuration: ['2026-01-01T00:00:00Z', 'P99999999D', 'working'] },
  { workingHoursBetween: ['0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z'] },
  { inList: ['no-such-list', { var: 'customerId' }] },
  { '/': [1, 0] },
  { '%': [1, 0] },
  { '*': [1e308, 1e308] },
  { if: [] },
  { missing: Array.from({ length: 3000 }, (_, i) => `f${i}`) },
  nestRule(31),
  nestRule(33),
  nestRule(60),
  { '+': Array.from({ length: 2500 }, () => 1) },
];

/** `{"!": {"!": ... true}}`, `depth` operations deep. */
export function nestRule(depth: number): unknown {
  let r: unknown = true;
  for (let i = 0; i < depth; i++) r = { '!': [r] };
  return r;
}

/** An object nested `depth` levels deep. */
export function nestObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Kinds of large value; `hugeValue` builds one when a mutation needs it (not kept by the generator). */
export type HugeKind = 'array' | 'string' | 'deep' | 'wide' | 'numbers';

/** A large value of the given kind, within the 1 MiB body limit. */
export function hugeValue(kind: HugeKind): unknown {
  switch (kind) {
    case 'array':
      return Array.from({ length: 20_000 }, (_, i) => i);
    case 'string':
      return 'x'.repeat(300_000);
    case 'deep':
      return nestObject(58);
    case 'wide':
      return Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    default:
      return Array.from({ length: 5000 }, (_, i) => i * 1.5);
  }
}

const RULE_OPS = ['var', 'missing', 'missing_some', 'if', '?:', 'and', 'or', '!', '!!', '==', '===', '!=', '!==', '>', '>=', '<', '<=', 'in', '+', '-', '*', '/', '%', 'min', 'max', 'map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'cat', 'substr', 'inList', 'now', 'addDuration', 'workingHoursBetween', 'workingDaysBetween', 'hoursBetween', 'daysBetween', 'isWorkingDay', 'ageInYears'];
const VAR_NAMES = ['customerId', 'amount', 'idNumber', 'decision', 'applicant.name', 'missing.field', '', 'current', 'accumulator', 'constructor', 'toString', 'amount.length', '0'];

/** json-logic rules made of every allowed operation (and a few that are not), of any shape. */
export const ruleArb: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true }), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null), hostileScalar),
    fc.record({ var: fc.constantFrom(...VAR_NAMES) }),
    fc.tuple(fc.constantFrom(...RULE_OPS, 'log', 'method', 'eval', 'constructor'), fc.array(tie('rule'), { maxLength: 4 })).map(([op, args]) => ({ [op]: args })),
    fc.array(tie('rule'), { maxLength: 4 }),
    fc.constantFrom(...hostileRules),
  ),
})).rule;

/** Any JSON value, hostile keys and values included; sometimes huge. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
    fc.array(tie('value'), { maxLength: 5 }),
    ruleArb,
  ),
})).value;

/** Every path (list of keys and indexes) to a part of `v`, the root included. */
export function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 2000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

/** A mutation of a valid body: one part replaced by a hostile value, deleted, or given a hostile sibling. */
export interface Mutation {
  pick: number;
  op: 'replace' | 'delete' | 'add' | 'huge';
  key: string;
  value: unknown;
  huge: HugeKind;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'delete', 'add', 'huge'),
  key: hostileKey,
  value: hostileJson,
  huge: fc.constantFrom<HugeKind>('array', 'string', 'deep', 'wide', 'numbers'),
});

/** `body` with the mutation applied (a copy). */
export function mutate(body: unknown, m: Mutation): unknown {
  const copy: unknown = structuredClone(body);
  const all = pathsOf(copy);
  const path = all[m.pick % all.length] as (string | number)[];
  const value = m.op === 'huge' ? hugeValue(m.huge) : m.value;
  if (path.length === 0) return m.op === 'delete' ? undefined : value;
  let parent: unknown = copy;
  for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
  const last = path.at(-1) as string | number;
  const p = parent as Record<string | number, unknown>;
  if (m.op === 'delete') {
    if (Array.isArray(p)) p.splice(Number(last), 1);
    else delete p[last];
  } else if (m.op === 'add' && !Array.isArray(p)) {
    Object.defineProperty(p, m.key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    p[last] = value;
  }
  return copy;
}

export interface FuzzRun {
  numRuns: number;
  ms: number;
}

/**
 * Runs a property with a seed and throws fast-check's report (seed, counterexample, replay
 * path) when it fails. Runs stop early, as passed, after `timeLimitMs` so CI time stays bounded.
 */
export async function checkProperty<T>(name: string, prop: fc.IAsyncPropertyWithHooks<T> | fc.IPropertyWithHooks<T>, seed: number, numRuns: number, timeLimitMs: number): Promise<FuzzRun> {
  const started = performance.now();
  // fast-check's time limit races the run in progress and walks away from it; that run still
  // talks to the server. Wait for it, so no request of this property lands in the next test.
  const pending = new Set<Promise<unknown>>();
  const tracked = Object.create(prop, {
    run: {
      value: (v: T) => {
        const out = (prop as fc.IAsyncProperty<T>).run(v) as unknown;
        if (out instanceof Promise) {
          pending.add(out);
          const done = (): void => void pending.delete(out);
          out.then(done, done);
        }
        return out;
      },
    },
  }) as fc.IAsyncProperty<T>;
  const details = await fc.check(tracked, { seed, numRuns: numRuns * SOAK, endOnFailure: true, interruptAfterTimeLimit: timeLimitMs * SOAK });
  await Promise.allSettled([...pending]);
  const ms = performance.now() - started;
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${name} failed with seed ${seed} (replay: FLOWPATH_FUZZ_SEED=${seed}):\n${cause}\n${fc.defaultReportMessage(details) ?? ''}`);
  }
  process.stdout.write(`[fuzz] ${name}: ${details.numRuns} cases in ${(ms / 1000).toFixed(1)} s (seed ${seed})${details.interrupted ? ' — stopped at the time limit' : ''}\n`);
  return { numRuns: details.numRuns, ms };
}

/**
 * How many times longer the fuzz runs (cases and time limits): 1 in CI, more in the release
 * soak (`pnpm test:soak` sets FLOWPATH_SOAK).
 */
export const SOAK = Math.max(1, Number(process.env.FLOWPATH_SOAK ?? 1) || 1);

/** A test timeout that grows with the soak factor. */
export const scaled = (ms: number): number => ms * SOAK;

/** The fixed seed every run uses, and this run's random one (FLOWPATH_FUZZ_SEED to replay). */
export const FIXED_SEED = 20261126;
export function randomSeed(): number {
  const env = process.env.FLOWPATH_FUZZ_SEED;
  return env !== undefined && env !== '' ? Number(env) >>> 0 : Math.floor(Math.random() * 2 ** 31);
}
