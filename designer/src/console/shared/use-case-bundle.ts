import type { FlowDefinition } from '@flowpath/engine';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context';
import type { AuditEntry, CaseDetail } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Problem } from '../../api/types';
import { useConsoleCache } from './hooks';

/** More audit pages than this (1000 entries each) are not read into a page. */
const MAX_AUDIT_PAGES = 20;

export interface CaseBundle {
  kase: CaseDetail | null;
  audit: AuditEntry[];
  def: FlowDefinition | null;
  problem: Problem | null;
  /** Reads the case and its audit trail again. */
  reload: () => Promise<void>;
}

/** A case with its full audit trail and the flow version it runs on, as this caller may see them. */
export function useCaseBundle(caseId: string | null): CaseBundle {
  const api = useApi();
  const cache = useConsoleCache();
  const [kase, setCase] = useState<CaseDetail | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [def, setDef] = useState<FlowDefinition | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (!caseId) return;
    const call = ++latest.current;
    try {
      const c = await api.getCase(caseId);
      const entries: AuditEntry[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_AUDIT_PAGES; i++) {
        const page = await api.getCaseAudit(caseId, cursor);
        entries.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const d = await cache.definition(c.flow, c.version);
      if (call !== latest.current) return;
      cache.remember(c);
      setCase(c);
      setAudit(entries);
      setDef(d);
      setProblem(null);
    } catch (err) {
      if (call === latest.current) setProblem(toProblem(err));
    }
  }, [api, cache, caseId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { kase, audit, def, problem, reload };
}
