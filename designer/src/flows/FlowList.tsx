import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { FlowSummary, Problem } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { navigate, routeHref } from '../app/router';
import { HealthLink } from '../health/HealthLink';
import { asLang } from '../i18n';
import { NewFlowDialog } from './NewFlowDialog';

/** Every flow with its versions, draft state, owner and pilots. */
export function FlowList() {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');

  const load = useCallback(async () => {
    setProblem(null);
    try {
      setFlows(await api.listFlows());
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const nameOf = (f: FlowSummary) => f.name?.[lang] || f.name?.[lang === 'en' ? 'zh-CN' : 'en'] || f.key;
  const needle = filter.trim().toLowerCase();
  const shown = (flows ?? []).filter(
    (f) => !needle || f.key.includes(needle) || `${f.name?.['zh-CN'] ?? ''} ${f.name?.en ?? ''}`.toLowerCase().includes(needle),
  );

  return (
    <main className="flow-list">
      <div className="toolbar">
        <h1>{t('flows.title')}</h1>
        <input type="search" placeholder={t('flows.filter')} aria-label={t('flows.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" onClick={() => void load()}>
          {t('flows.refresh')}
        </button>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={flows === null}>
          {t('flows.new')}
        </button>
      </div>
      {problem && <ProblemView problem={problem} />}
      {flows === null && !problem && <p>{t('app.loading')}</p>}
      {flows !== null && flows.length === 0 && <p>{t('flows.empty')}</p>}
      {shown.length > 0 && (
        <table aria-label={t('flows.title')}>
          <thead>
            <tr>
              <th scope="col">{t('flows.col.name')}</th>
              <th scope="col">{t('flows.col.key')}</th>
              <th scope="col">{t('flows.col.versions')}</th>
              <th scope="col">{t('flows.col.draft')}</th>
              <th scope="col">{t('flows.col.owner')}</th>
              <th scope="col">{t('flows.col.pilots')}</th>
              <th scope="col">{t('flows.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.key} data-testid={`flow-${f.key}`}>
                <td>
                  <a href={routeHref({ screen: 'editor', key: f.key })}>{nameOf(f)}</a>
                </td>
                <td>
                  <code>{f.key}</code>
                </td>
                <td>
                  {f.versions.length === 0
                    ? t('flows.noVersions')
                    : f.defaultVersion
                      ? t('flows.versionList', { list: f.versions.join(', v'), default: f.defaultVersion })
                      : t('flows.versionListNoDefault', { list: f.versions.join(', v') })}
                </td>
                <td>{f.draft ? (f.draft.changed === false ? t('flows.draftSame') : t('flows.draftChanged', { revision: f.draft.revision })) : t('flows.noDraft')}</td>
                <td>{f.owner ?? ''}</td>
                <td>{f.pilots.length === 0 ? t('flows.noPilots') : f.pilots.map((p) => t('flows.pilot', { version: p.version, name: p.name ?? '' })).join('; ')}</td>
                <td className="row-actions">
                  <a href={routeHref({ screen: 'editor', key: f.key })} aria-label={`${t('flows.open')} ${nameOf(f)}`}>
                    {t('flows.open')}
                  </a>{' '}
                  <a href={routeHref({ screen: 'release', key: f.key })} aria-label={`${t('flows.release')} ${nameOf(f)}`}>
                    {t('flows.release')}
                  </a>
                  {f.versions.length > 0 && (
                    <>
                      {' '}
                      <HealthLink flowKey={f.key} flowName={nameOf(f)} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && flows && (
        <NewFlowDialog
          flows={flows}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            navigate({ screen: 'editor', key });
          }}
        />
      )}
    </main>
  );
}
