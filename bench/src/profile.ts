/**
 * When a run misses its target it profiles the subject in an extra, untimed window (V8's CPU
 * profiler through `node:inspector`, in this process) and reports where the time went, by
 * area, so the report says what the profile shows from the same run rather than from memory.
 */
import { Session } from 'node:inspector/promises';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  label: string;
  /** Share of busy (non-idle) samples. */
  share: number;
}

export interface ProfileSummary {
  /** Busy time by area, largest first. */
  areas: Hotspot[];
  /** Functions with the most self time, largest first. */
  functions: Hotspot[];
  /** Share of samples the thread was idle (waiting for I/O or for the load generator). */
  idle: number;
}

/** Areas of the code base and its dependencies, first match wins. */
const AREAS: [label: string, test: (f: CallFrame) => boolean][] = [
  ['SQLite BEGIN/COMMIT (WAL writes, checkpoints; fsync under synchronous=FULL)', (f) => f.url.includes('better-sqlite3') && f.functionName.startsWith('exec')],
  ['SQLite BEGIN/SAVEPOINT/COMMIT of group commit (WAL writes)', (f) => /sqlite-group-commit\.ts$/.test(f.url) && /^run\b/.test(f.functionName)],
  ['SQLite statements (run/get/all)', (f) => /sqlite-store\.ts$/.test(f.url) && /^(run|get|all)\b/.test(f.functionName)],
  ['better-sqlite3 other', (f) => f.url.includes('better-sqlite3')],
  ['store code (rows ↔ records, JSON)', (f) => f.url.includes('runtime-api/src/store/')],
  ['process-health fold (engine)', (f) => f.url.includes('/engine/src/health/')],
  ['process-health projection (facts rows)', (f) => f.url.includes('runtime-api/src/health/')],
  ['engine step', (f) => f.url.includes('/engine/src/')],
  ['rules (json-logic)', (f) => f.url.includes('json-logic')],
  ['hashing (audit chain, request hash)', (f) => f.url.includes('runtime-api/src/hash') || f.url.includes('internal/crypto')],
  ['runtime (cases, timers, outbox)', (f) => f.url.includes('runtime-api/src/runtime/')],
  ['API layer (routes, views, auth, body)', (f) => f.url.includes('runtime-api/src/')],
  ['schema validation (ajv)', (f) => f.url.includes('/ajv') || f.url.includes('json-schema-traverse')],
  ['Express / router / body parsing', (f) => /\/(express|router|body-parser|raw-body|finalhandler|send|content-type|type-is|qs|on-finished)[@/]/.test(f.url)],
  ['bpmn-engine and its libraries', (f) => /\/(bpmn-engine|bpmn-elements|smqp|moddle|bpmn-moddle)[@/]/.test(f.url)],
  ['Node HTTP and sockets', (f) => /node:(_http|net|internal\/(streams|stream_base_commons|http|net|dns))/.test(f.url) || f.functionName === 'writev' || f.functionName === 'writeBuffer'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['promises and microtasks', (f) => f.functionName === 'runMicrotasks' || f.url.includes('async_hooks') || f.url.includes('task_queues')],
];

function areaOf(f: CallFrame): string {
  for (const [label, test] of AREAS) if (test(f)) return label;
  return 'other';
}

function shortName(f: CallFrame): string {
  const file = f.url.replace(/^.*\/node_modules\/\.pnpm\/([^/]+)\/node_modules\/[^/]+\//, '$1 ').replace(/^file:\/\/.*?\/(engine|runtime-api|bench)\//, '$1/');
  // tsx compiles TypeScript without line mapping in the profile, so a .ts line number would mislead.
  const line = f.url && !f.url.endsWith('.ts') ? `:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${file}${line}`.trim();
}

/** Summarizes a V8 CPU profile by area and by function (self time). */
export function summarize(p: CpuProfile): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  /** A native frame (no url) is charged to the nearest JavaScript caller, keeping its own name. */
  const attributed = (id: number): CallFrame => {
    const f = (byId.get(id) as ProfileNode).callFrame;
    if (f.url || f.functionName.startsWith('(')) return f;
    for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
      const caller = (byId.get(up) as ProfileNode).callFrame;
      if (caller.url) return { functionName: f.functionName === caller.functionName ? f.functionName : `${f.functionName} ← ${caller.functionName}`, url: caller.url, lineNumber: caller.lineNumber };
    }
    return f;
  };
  let idle = 0;
  let busy = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const f = attributed(id);
    // The profiler's own sampling shows up under node:inspector; it is not the subject's time.
    if (f.url === 'node:inspector') continue;
    if (f.functionName === '(idle)' || f.functionName === '(program)') {
      idle += f.functionName === '(idle)' ? t : 0;
      continue;
    }
    busy += t;
    const a = areaOf(f);
    areas.set(a, (areas.get(a) ?? 0) + t);
    const k = shortName(f);
    fns.set(k, (fns.get(k) ?? 0) + t);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([label, t]) => ({ label, share: busy > 0 ? t / busy : 0 }));
  return { areas: top(areas, 10), functions: top(fns, 8), idle: busy + idle > 0 ? idle / (busy + idle) : 0 };
}

/** Profiles this process while `work` runs and summarizes the profile. */
export async function profileWhile(work: () => Promise<void>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    let failure: unknown;
    try {
      await work();
    } catch (e) {
      failure = e;
    }
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    if (failure !== undefined) throw failure;
    return summarize(profile as unknown as CpuProfile);
  } finally {
    session.disconnect();
  }
}

/** The profile as a markdown paragraph and list for the report. */
export function profileNote(what: string, s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  return [
    `Profile of ${what} (V8 CPU profiler in an extra window after the timed rounds; shares of busy time, the thread was idle ${pct(s.idle)} of the window):`,
    '',
    ...s.areas.filter((a) => a.share >= 0.01).map((a) => `- ${a.label}: ${pct(a.share)}`),
    '',
    `Functions with the most self time: ${s.functions.map((f) => `\`${f.label}\` ${pct(f.share)}`).join(', ')}.`,
  ].join('\n');
}
