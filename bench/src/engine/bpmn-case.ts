/**
 * The same SME loan case run by the `bpmn-engine` npm package on an equivalent BPMN 2.0 file.
 *
 * The XML is parsed and serialized (bpmn-moddle + moddle-context-serializer, inside
 * bpmn-engine) once; every case gets a new `Engine` built from that serialized context, which
 * is how bpmn-engine itself reuses a definition when it recovers state. Connector, screening
 * and branch predicates are plain JavaScript functions passed as services, and the engine's
 * debug logger is replaced by a no-op: the peer runs in its fastest configuration.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { Engine, type BpmnEngineOptions } from 'bpmn-engine';
import type { CaseTrace } from './flowpath-case';
import { LARGE_LOAN, LISTS, OCR_RESULT, TASK_DATA } from './loan-data';

/** What a service function receives from bpmn-engine (the parts used here). */
interface ServiceScope {
  environment: { variables: Record<string, unknown> };
}
type Callback = (err: Error | null, result?: unknown) => void;

/** What a `wait` event hands the listener for a user task. */
interface WaitApi {
  id: string;
  environment: { variables: Record<string, unknown> };
  signal: (message?: Record<string, unknown>) => void;
}

const inList = (list: readonly string[], v: unknown) => list.some((x) => x === String(v));

/** The connector, the three screening rules and the branch conditions of the loan flow. */
const services = {
  ocr(scope: ServiceScope, cb: Callback) {
    Object.assign(scope.environment.variables, OCR_RESULT);
    cb(null, OCR_RESULT);
  },
  screen(scope: ServiceScope, cb: Callback) {
    const v = scope.environment.variables;
    const flags: string[] = [];
    const stop = inList(LISTS.blacklist ?? [], v.companyId);
    if (typeof v.debtRatio === 'number' && v.debtRatio > 0.7) flags.push('debt-ratio');
    v.screening = { stop, extra: v.litigation === true, flags };
    cb(null);
  },
  isStopped: (v: Record<string, unknown>) => (v.screening as { stop: boolean }).stop,
  needsExtraStep: (v: Record<string, unknown>) => (v.screening as { extra: boolean }).extra,
  isGreenChannel: (v: Record<string, unknown>) => inList(LISTS.whitelist ?? [], v.companyId) && typeof v.amount === 'number' && v.amount <= 500_000,
  isLarge: (v: Record<string, unknown>) => typeof v.amount === 'number' && v.amount > 3_000_000,
  autoApprove(scope: ServiceScope, cb: Callback) {
    Object.assign(scope.environment.variables, { approved: true, tier: 'instant' });
    cb(null);
  },
  isApproved: (v: Record<string, unknown>) => v.approved === true,
};

const silent = () => ({ debug() {}, error() {}, warn() {} });

export interface BpmnCase {
  /** Runs the measured large-loan case; true when it ended at `end-approved` after exactly three user tasks. */
  run: () => Promise<boolean>;
  /** Runs a case with `data` and reports its path (element ids started, in order) and outcome. */
  trace: (data: Record<string, unknown>) => Promise<CaseTrace>;
}

const OUTCOME_OF_END: Record<string, string> = { 'end-approved': 'approved', 'end-rejected': 'rejected' };

/** Parses the BPMN file once and returns a runner that starts a new engine per case from it. */
export async function bpmnCase(bpmnPath = new URL('./loan-flow.bpmn', import.meta.url)): Promise<BpmnCase> {
  const source = readFileSync(bpmnPath, 'utf8');
  const parser = new Engine({ source, Logger: silent });
  const [definition] = await parser.getDefinitions();
  // bpmn-engine keeps the serialized context it built from the XML here (its getState() serializes it).
  const parsed = (definition as unknown as { environment?: { options?: { source?: unknown } } } | undefined)?.environment?.options?.source;
  if (!parsed || typeof parsed !== 'object') throw new Error('bpmn-engine: no serialized context after parsing; its internals changed');
  const sourceContext = parsed as NonNullable<BpmnEngineOptions['sourceContext']>;

  const drive = (data: Record<string, unknown>, path?: string[]): Promise<CaseTrace> =>
    new Promise((resolve, reject) => {
      const engine = new Engine({ sourceContext, Logger: silent });
      const listener = new EventEmitter();
      let tasksDone = 0;
      let outcome: string | undefined;
      listener.on('wait', (api: WaitApi) => {
        const input = TASK_DATA[api.id];
        if (!input) return reject(new Error(`bpmn-engine waits at unexpected ${api.id}`));
        // A completed task's form data becomes case data, as in Flowpath.
        Object.assign(api.environment.variables, input);
        tasksDone++;
        api.signal(input);
      });
      listener.on('activity.end', (api: { id: string }) => {
        const o = OUTCOME_OF_END[api.id];
        if (o) outcome = o;
      });
      if (path) listener.on('activity.start', (api: { id: string }) => path.push(api.id));
      engine
        .execute({ listener, services, variables: { ...data } }, (err: Error | null) => {
          if (err) reject(err);
          else resolve({ outcome, tasksDone, path: path ?? [] });
        })
        .catch(reject);
    });

  return {
    run: async () => {
      const t = await drive(LARGE_LOAN);
      return t.outcome === 'approved' && t.tasksDone === 3;
    },
    trace: (data) => drive(data, []),
  };
}
