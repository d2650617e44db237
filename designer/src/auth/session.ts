import { useSyncExternalStore } from 'react';

const KEY = 'flowpath.apiKey';
const listeners = new Set<() => void>();

/** The signed-in API key, or null. */
export function getApiKey(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) || null;
  } catch {
    return null;
  }
}

/** Stores the key (sign in) or removes it (sign out, or the server refused it). */
export function setApiKey(key: string | null): void {
  try {
    if (key) globalThis.localStorage?.setItem(KEY, key);
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    // storage disabled: the session lasts as long as the page
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders when the user signs in or out. */
export function useApiKey(): string | null {
  return useSyncExternalStore(subscribe, getApiKey, () => null);
}
