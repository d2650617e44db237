import type { ReactElement } from 'react';
import type { Route } from '../app/router';
import type { Me } from '../api/types';
import { CaseScreen } from './cases/CaseScreen';
import { CaseSearchScreen } from './cases/CaseSearchScreen';
import { homeScreen } from './ConsoleNav';
import { TaskScreen } from './task/TaskScreen';
import { WorkListScreen } from './work/WorkListScreen';
import './console.css';

/**
 * The console's screen for a route, or null when the route belongs to the designer (an empty
 * address leads to the flow list for analysts and owners, and while the caller is not known yet).
 */
export function consoleScreen(route: Route, me: Me | null): ReactElement | null {
  const screen = route.screen === 'home' ? (me ? homeScreen(me) : 'flows') : route.screen;
  if (!me) return screen === 'flows' || screen === 'editor' || screen === 'release' ? null : <p className="loading">…</p>;
  switch (screen) {
    case 'work':
      return <WorkListScreen me={me} />;
    case 'task':
      return route.screen === 'task' ? <TaskScreen key={route.id} taskId={route.id} me={me} /> : null;
    case 'cases':
      return <CaseSearchScreen me={me} initialQuery={route.screen === 'cases' ? route.query : undefined} />;
    case 'case':
      return route.screen === 'case' ? <CaseScreen key={route.id} caseId={route.id} me={me} /> : null;
    default:
      return null;
  }
}
