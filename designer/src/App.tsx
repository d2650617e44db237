import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './app/LanguageSwitch';
import { useRoute } from './app/router';
import { SignIn } from './auth/SignIn';
import { setApiKey, useApiKey } from './auth/session';
import { useMe } from './auth/use-me';
import { ConsoleNav } from './console/ConsoleNav';
import { consoleScreen } from './console/ConsoleRoutes';
import { EditorScreen } from './editor/EditorScreen';
import { FlowList } from './flows/FlowList';
import { ReleasePolicyScreen } from './release/ReleasePolicyScreen';

// The dashboard carries the charting library; it is loaded when first opened.
const HealthDashboard = lazy(() => import('./health/HealthDashboard').then((m) => ({ default: m.HealthDashboard })));

/** The designer and the operations console: sign-in, then the screen the URL names. */
export function App() {
  const { t } = useTranslation();
  const key = useApiKey();
  const route = useRoute();
  const me = useMe();
  const consoleView = key ? consoleScreen(route, me) : null;
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <div className="app">
      <header className="app-header">
        <a href="#/flows" className="brand">
          {t('app.title')}
        </a>
        {key && <ConsoleNav me={me} current={route.screen} />}
        <LanguageSwitch />
        {key && me && (
          <span className="me" title={me.roles.join(', ')}>
            {t('app.signedInAs', { name: me.name, roles: me.roles.join(', ') })}
          </span>
        )}
        {key && (
          <button type="button" className="link" onClick={() => setApiKey(null)}>
            {t('app.signOut')}
          </button>
        )}
      </header>
      {!key ? (
        <SignIn />
      ) : consoleView ? (
        consoleView
      ) : route.screen === 'editor' ? (
        <EditorScreen key={route.key} flowKey={route.key} />
      ) : route.screen === 'health' ? (
        <Suspense fallback={<p className="loading">…</p>}>
          <HealthDashboard key={route.key} flowKey={route.key} view={route.view ?? 'figures'} />
        </Suspense>
      ) : route.screen === 'release' ? (
        <ReleasePolicyScreen key={route.key} flowKey={route.key} />
      ) : (
        <FlowList />
      )}
    </div>
  );
}
