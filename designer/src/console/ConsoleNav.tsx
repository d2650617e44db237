import { useTranslation } from 'react-i18next';
import { routeHref, type Route } from '../app/router';
import type { Me } from '../api/types';
import { canSeeWorkList, hasAnyRole } from './model/permissions';

/**
 * Where an empty address leads: analysts, owners and admins to the flows (as the designer always
 * did), operators to their work, supervisors, auditors and apps to the case monitor.
 */
export function homeScreen(me: Me): 'flows' | 'work' | 'cases' {
  if (hasAnyRole(me, 'analyst', 'owner')) return 'flows';
  if (me.roles.includes('operator')) return 'work';
  return 'cases';
}

/** The header's links between the designer, the work list and the case monitor; the work list only for those who have one. */
export function ConsoleNav({ me, current }: { me: Me | null; current: Route['screen'] }) {
  const { t } = useTranslation();
  const here = (...screens: Route['screen'][]) => (screens.includes(current) ? ('page' as const) : undefined);
  return (
    <nav className="console-nav" aria-label={t('console.nav.label')}>
      <a href={routeHref({ screen: 'flows' })} aria-current={here('flows', 'editor', 'release')}>
        {t('console.nav.flows')}
      </a>
      {(me === null || canSeeWorkList(me)) && (
        <a href={routeHref({ screen: 'work' })} aria-current={here('work', 'task')}>
          {t('console.nav.work')}
        </a>
      )}
      <a href={routeHref({ screen: 'cases' })} aria-current={here('cases', 'case')}>
        {t('console.nav.cases')}
      </a>
    </nav>
  );
}
