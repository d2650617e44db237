import { useSyncExternalStore } from 'react';

/**
 * Screens of the designer and the operations console, addressed by the URL hash so reloads
 * and links keep the place. `home` is an empty hash: the screen that suits the caller's roles.
 */
export type Route =
  | { screen: 'home' }
  | { screen: 'flows' }
  | { screen: 'editor'; key: string }
  | { screen: 'release'; key: string }
  | { screen: 'health'; key: string; view?: 'heatmap' }
  | { screen: 'work' }
  | { screen: 'task'; id: string }
  | { screen: 'cases'; query?: string }
  | { screen: 'case'; id: string };

/** Parses `#/flows/<key>` style hashes; an empty hash is home, anything unknown the flow list. */
export function parseRoute(hash: string): Route {
  const [path = '', query] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { screen: 'home' };
  if (parts[0] === 'flows' && parts[1]) {
    if (parts[2] === 'release') return { screen: 'release', key: parts[1] };
    if (parts[2] === 'health') return { screen: 'health', key: parts[1], ...(parts[3] === 'heatmap' ? { view: 'heatmap' as const } : {}) };
    return { screen: 'editor', key: parts[1] };
  }
  if (parts[0] === 'work') return parts[1] ? { screen: 'task', id: parts[1] } : { screen: 'work' };
  if (parts[0] === 'cases') return parts[1] ? { screen: 'case', id: parts[1] } : { screen: 'cases', ...(query ? { query } : {}) };
  return { screen: 'flows' };
}

/** The hash of a route. */
export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '#/';
    case 'flows':
      return '#/flows';
    case 'editor':
      return `#/flows/${encodeURIComponent(route.key)}`;
    case 'release':
      return `#/flows/${encodeURIComponent(route.key)}/release`;
    case 'health':
      return `#/flows/${encodeURIComponent(route.key)}/health${route.view === 'heatmap' ? '/heatmap' : ''}`;
    case 'work':
      return '#/work';
    case 'task':
      return `#/work/${encodeURIComponent(route.id)}`;
    case 'cases':
      return route.query ? `#/cases?${route.query}` : '#/cases';
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
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
