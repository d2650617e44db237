import { createContext, useContext, type ReactNode } from 'react';
import { getApiKey, setApiKey } from '../auth/session';
import { i18n } from '../i18n';
import { ApiError, createApiClient, type ApiClient } from './client';

/** The app's client: the stored key on every request; a refused key signs the user out. */
export const defaultApi: ApiClient = withSignOutOn401(createApiClient({ getKey: getApiKey, getLang: () => i18n.language }));

function withSignOutOn401(client: ApiClient): ApiClient {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(client) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) setApiKey(null);
        throw err;
      }
    };
  }
  return wrapped as unknown as ApiClient;
}

const ApiContext = createContext<ApiClient>(defaultApi);

/** Lets tests and stories hand the app a fake client. */
export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  return useContext(ApiContext);
}
