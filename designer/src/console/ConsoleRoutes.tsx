import { lazy, Suspense, type ReactElement } from 'react';
import type { Route } from '../app/router';
import type { Me } from '../api/types';
import { homeScreen } from './ConsoleNav';
import './console.css';

// The console's screens (and react-jsonschema-form, ajv and the virtual list with them) load
// when first opened, so analysts opening the designer do not download them.
const WorkListScreen = lazy(() => import('./work/WorkListScreen').then((m) => ({ default: m.WorkListScreen })));
const TaskScreen = lazy(() => import('./task/TaskScreen').then((m) => ({ default: m.TaskScreen })));
const CaseSearchScreen = lazy(() => import('./cases/CaseSearchScreen').then((m) => ({ default: m.CaseSearchScreen })));
const CaseScreen = lazy(() => import('./cases/CaseScreen').then((m) => ({ default: m.CaseScreen })));

const loading = <p className="loading">…</p>;

/**
 * The console's screen for a route, or null when the route belongs to the designer (an empty
 * address leads to the flow list for analysts and owners, and while the caller is not known yet).
 */
export function consoleScreen(route: Route, me: Me | null): ReactElement | null {
  const screen = route.screen === 'home' ? (me ? homeScreen(me) : 'flows') : route.screen;
  if (screen !== 'work' && screen !== 'task' && screen !== 'cases' && screen !== 'case') return null;
  if (!me) return loading;
  let view: ReactElement | null = null;
  if (screen === 'work') view = <WorkListScreen me={me} />;
  else if (route.screen === 'task') view = <TaskScreen key={route.id} taskId={route.id} me={me} />;
  else if (screen === 'cases') view = <CaseSearchScreen me={me} initialQuery={route.screen === 'cases' ? route.query : undefined} />;
  else if (route.screen === 'case') view = <CaseScreen key={route.id} caseId={route.id} me={me} />;
  return <Suspense fallback={loading}>{view}</Suspense>;
}
