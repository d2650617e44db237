import type { ValidateContext } from '@flowpath/engine';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useApi } from '../api/context';
import type { ConnectorInfo } from '../api/types';

/** What the server offers a flow: connectors, published flows (for sub-flows), calendars. */
export interface RuntimeInfo {
  connectors: ConnectorInfo[];
  flows: string[];
  calendars: string[];
  /** False until loaded; validation then runs without these checks. */
  loaded: boolean;
}

const EMPTY: RuntimeInfo = { connectors: [], flows: [], calendars: [], loaded: false };
const Ctx = createContext<RuntimeInfo>(EMPTY);

/** Loads the runtime's connectors, flows and calendars once per open editor. */
export function RuntimeInfoProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState<RuntimeInfo>(EMPTY);
  useEffect(() => {
    let live = true;
    Promise.all([api.listConnectors(), api.listFlows(), api.listCalendars()]).then(
      ([connectors, flows, calendars]) =>
        live && setInfo({ connectors, flows: flows.filter((f) => f.versions.length > 0).map((f) => f.key), calendars, loaded: true }),
      // Without the lists the editor still works; the server checks these on save and publish.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  return <Ctx.Provider value={info}>{children}</Ctx.Provider>;
}

export function useRuntimeInfo(): RuntimeInfo {
  return useContext(Ctx);
}

/** The validation context matching the server's, once the lists are known. */
export function validateContextOf(info: RuntimeInfo): ValidateContext {
  return info.loaded ? { connectors: info.connectors.map((c) => c.name), flows: info.flows, calendars: info.calendars } : {};
}
