import { useEffect, useState } from 'react';
import { useApi } from '../api/context';
import type { Me } from '../api/types';
import { useApiKey } from './session';

const cache = new Map<string, Promise<Me | null>>();

/** Who is signed in (name, roles, queues); null until known or when the server cannot say. */
export function useMe(): Me | null {
  const api = useApi();
  const key = useApiKey();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    if (!key) {
      setMe(null);
      return;
    }
    let live = true;
    let pending = cache.get(key);
    if (!pending) {
      pending = api.me().catch(() => null);
      cache.set(key, pending);
    }
    void pending.then((m) => live && setMe(m));
    return () => {
      live = false;
    };
  }, [api, key]);
  return me;
}

/** True when the caller has the role; unknown callers are let through (the server decides). */
export function hasRole(me: Me | null, role: string): boolean {
  return me === null || me.roles.includes(role) || me.roles.includes('admin');
}
