/**
 * What the console looks up again and again, fetched once per page load: the flow version a
 * case runs on, business calendars, and the brief of a case (customer reference, branch,
 * version) that work-list rows need but `GET /api/tasks` does not carry. Requests for case
 * briefs go out a few at a time so scrolling a long list does not flood the server.
 */
import { calendars as builtInCalendars, type BusinessCalendar, type FlowDefinition } from '@flowpath/engine';
import type { ApiClient } from '../../api/client';
import type { CaseDetail, CaseSummary } from '../../api/console-types';
import type { FlowSummary } from '../../api/types';

/** The fields of a case a work-list row shows. */
export type CaseBrief = Pick<CaseSummary, 'id' | 'flow' | 'version' | 'customerRef' | 'branch' | 'priority' | 'status'>;

const MAX_IN_FLIGHT = 4;

export class ConsoleCache {
  private flowList: Promise<FlowSummary[]> | null = null;
  private readonly definitions = new Map<string, Promise<FlowDefinition>>();
  private readonly calendars = new Map<string, Promise<BusinessCalendar>>();
  private readonly briefs = new Map<string, Promise<CaseBrief>>();
  private readonly known = new Map<string, CaseBrief>();
  private readonly queue: (() => void)[] = [];
  private inFlight = 0;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: ApiClient) {}

  /** Every flow with its names and versions (for filters and to name flows in rows). */
  flows(): Promise<FlowSummary[]> {
    if (!this.flowList) {
      this.flowList = this.api.listFlows();
      this.flowList.catch(() => {
        this.flowList = null;
      });
    }
    return this.flowList;
  }

  /** The definition of a published version (immutable, so kept for the page's life). */
  definition(flow: string, version: number): Promise<FlowDefinition> {
    const key = `${flow}@${version}`;
    let p = this.definitions.get(key);
    if (!p) {
      p = this.api.getVersion(flow, version).then((v) => v.definition);
      p.catch(() => this.definitions.delete(key));
      this.definitions.set(key, p);
    }
    return p;
  }

  /** A business calendar from the server; the built-in copy when the server has none by that id. */
  calendar(id: string): Promise<BusinessCalendar> {
    let p = this.calendars.get(id);
    if (!p) {
      p = this.api.getCalendar(id).then(
        (r) => r.calendar,
        (err: unknown) => {
          const builtIn = builtInCalendars[id];
          if (builtIn) return builtIn;
          this.calendars.delete(id);
          throw err;
        },
      );
      this.calendars.set(id, p);
    }
    return p;
  }

  /** The brief of a case, if already fetched. */
  knownBrief(caseId: string): CaseBrief | undefined {
    return this.known.get(caseId);
  }

  /** Fetches the brief of a case (queued behind at most a few other requests). */
  brief(caseId: string): Promise<CaseBrief> {
    let p = this.briefs.get(caseId);
    if (!p) {
      p = this.throttled(() => this.api.getCase(caseId)).then((c) => this.remember(c));
      p.catch(() => this.briefs.delete(caseId));
      this.briefs.set(caseId, p);
    }
    return p;
  }

  /** Records a case the console read anyway (a case page), so rows show it without another request. */
  remember(c: CaseDetail | CaseSummary): CaseBrief {
    const brief: CaseBrief = { id: c.id, flow: c.flow, version: c.version, customerRef: c.customerRef, branch: c.branch, priority: c.priority, status: c.status };
    this.known.set(c.id, brief);
    if (!this.briefs.has(c.id)) this.briefs.set(c.id, Promise.resolve(brief));
    this.notifySoon();
    return brief;
  }

  /** Briefs arrive one response at a time; listeners hear of them at most every 50 ms, not once each. */
  private notifySoon(): void {
    if (this.notifyTimer !== null) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      for (const l of this.listeners) l();
    }, 50);
  }

  /** Called whenever a brief arrives. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private throttled<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.inFlight += 1;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.inFlight -= 1;
            this.queue.shift()?.();
          });
      };
      if (this.inFlight < MAX_IN_FLIGHT) run();
      else this.queue.push(run);
    });
  }
}

const caches = new WeakMap<ApiClient, Map<string, ConsoleCache>>();

/**
 * One cache per API client and signed-in key: what one key saw (masked or not) is never shown
 * to the next one who signs in on the same page.
 */
export function consoleCache(api: ApiClient, key: string): ConsoleCache {
  let byKey = caches.get(api);
  if (!byKey) {
    byKey = new Map();
    caches.set(api, byKey);
  }
  let c = byKey.get(key);
  if (!c) {
    byKey.clear();
    c = new ConsoleCache(api);
    byKey.set(key, c);
  }
  return c;
}
