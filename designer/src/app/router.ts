import { useSyncExternalStore } from 'react';

/** Screens of the designer, addressed by the URL hash so reloads and links keep the place. */
export type Route =
  | { screen: 'flows' }
  | { screen: 'editor'; key: string }
  | { screen: 'release'; key: string };

/** Parses `#/flows/<key>` style hashes; anything else is the flow list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'flows' && parts[1]) {
    if (parts[2] === 'release') return { screen: 'release', key: parts[1] };
    return { screen: 'editor', key: parts[1] };
  }
  return { screen: 'flows' };
}

/** The hash of a route. */
export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'flows':
      return '#/flows';
    case 'editor':
      return `#/flows/${encodeURIComponent(route.key)}`;
    case 'release':
      return `#/flows/${encodeURIComponent(route.key)}/release`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '');
  return parseRoute(hash);
}
