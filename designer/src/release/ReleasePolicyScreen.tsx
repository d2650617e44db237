import type { CaseSchema } from '@flowpath/engine';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { PilotRule, Problem, ReleasePolicy, VersionSummary } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { routeHref } from '../app/router';
import { PilotComparison } from '../health/PilotComparison';
import { RuleEditor } from '../rules/RuleEditor';
import { hasRole, useMe } from '../auth/use-me';
import { Labelled } from '../app/Labelled';

/**
 * Which version a new case gets: a default, pilot rules over the case's start data (e.g. branch
 * in a chosen list → version N) and a stable percentage split. Stopping a pilot is one click;
 * running cases keep their version.
 */
export function ReleasePolicyScreen({ flowKey }: { flowKey: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [policy, setPolicy] = useState<ReleasePolicy | null>(null);
  const [saved, setSaved] = useState<ReleasePolicy | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [schema, setSchema] = useState<CaseSchema>({ type: 'object', properties: {} });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const mayEdit = hasRole(useMe(), 'owner');

  const load = useCallback(async () => {
    setProblem(null);
    try {
      const [p, vs] = await Promise.all([api.getReleasePolicy(flowKey), api.listVersions(flowKey)]);
      const sorted = [...vs].sort((a, b) => b.version - a.version);
      setPolicy(p);
      setSaved(p);
      setVersions(sorted);
      // Pilot rules read the start data of new cases: the newest version's case schema.
      if (sorted[0]) setSchema((await api.getVersion(flowKey, sorted[0].version)).definition.caseSchema);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, flowKey]);

  useEffect(() => {
    void load();
  }, [load]);

  const put = async (next: ReleasePolicy, message: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.putReleasePolicy(flowKey, next);
      setPolicy(result);
      setSaved(result);
      setNotice(message);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  if (!policy) {
    return (
      <main className="release">
        <h1>{t('release.title', { key: flowKey })}</h1>
        {problem ? <ProblemView problem={problem} /> : <p>{t('app.loading')}</p>}
      </main>
    );
  }

  const versionOptions = versions.map((v) => (
    <option key={v.version} value={v.version}>
      v{v.version}
      {v.note ? ` — ${v.note}` : ''}
    </option>
  ));
  const setPilot = (i: number, patch: Partial<PilotRule>) => setPolicy({ ...policy, pilots: policy.pilots.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const dirty = JSON.stringify(policy) !== JSON.stringify(saved);
  const piloting = (saved?.pilots.length ?? 0) > 0 || !!saved?.split;

  return (
    <main className="release props">
      <div className="toolbar">
        <a href={routeHref({ screen: 'flows' })}>← {t('editor.backToFlows')}</a>
        <h1>{t('release.title', { key: flowKey })}</h1>
      </div>
      <p className="hint">{t('release.explain')}</p>
      {!mayEdit && <p className="warning">{t('release.needsOwner')}</p>}
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      <div aria-live="polite" className="notice">
        {notice}
      </div>
      {versions.length === 0 ? (
        <p>{t('release.noVersions')}</p>
      ) : (
        <>
          <Labelled label={t('release.default')}>
            <select value={policy.defaultVersion ?? 0} onChange={(e) => setPolicy({ ...policy, defaultVersion: Number(e.target.value) || null })}>
              {policy.defaultVersion === null && <option value={0}>—</option>}
              {versionOptions}
            </select>
          </Labelled>

          <h2>{t('release.pilots')}</h2>
          <p className="hint">{t('release.pilotsExplain')}</p>
          {policy.pilots.map((p, i) => (
            <fieldset key={i} className="subtle-box" aria-label={t('release.pilotN', { n: i + 1 })}>
              <legend>{t('release.pilotN', { n: i + 1 })}</legend>
              <Labelled label={t('release.pilotName')}>
                <input value={p.name ?? ''} onChange={(e) => setPilot(i, { name: e.target.value || undefined })} />
              </Labelled>
              <Labelled label={t('release.pilotVersion')}>
                <select value={p.version} onChange={(e) => setPilot(i, { version: Number(e.target.value) })}>
                  {versionOptions}
                </select>
              </Labelled>
              <RuleEditor
                label={t('release.pilotWhen')}
                value={p.when}
                schema={schema}
                emptyRule={false}
                emptyLabel={t('release.pilotNever')}
                onCommit={(when) => setPilot(i, { when: when ?? false })}
              />
              <button
                type="button"
                className="danger"
                disabled={busy || !mayEdit}
                onClick={() => {
                  const pilots = policy.pilots.filter((_, j) => j !== i);
                  void put({ ...policy, pilots }, t('release.pilotStopped', { n: i + 1 }));
                }}
              >
                {t('release.stopPilot', { n: i + 1 })}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            onClick={() =>
              setPolicy({
                ...policy,
                pilots: [...policy.pilots, { name: '', version: versions[0]!.version, when: false }],
              })
            }
          >
            {t('release.addPilot')}
          </button>

          <h2>{t('release.split')}</h2>
          <label className="inline">
            <input
              type="checkbox"
              checked={!!policy.split}
              onChange={(e) => setPolicy({ ...policy, split: e.target.checked ? { version: versions[0]!.version, percent: 10 } : null })}
            />
            <span>{t('release.splitOn')}</span>
          </label>
          {policy.split && (
            <div className="pair">
              <Labelled label={t('release.splitVersion')}>
                <select value={policy.split.version} onChange={(e) => setPolicy({ ...policy, split: { ...policy.split!, version: Number(e.target.value) } })}>
                  {versionOptions}
                </select>
              </Labelled>
              <Labelled label={t('release.splitPercent')}>
                <input
                  type="number"
                  min={0}
                  max={100}
                  value={policy.split.percent}
                  onChange={(e) => setPolicy({ ...policy, split: { ...policy.split!, percent: Math.max(0, Math.min(100, Number(e.target.value))) } })}
                />
              </Labelled>
              <Labelled label={t('release.splitBy')}>
                <select value={policy.split.by ?? 'customerRef'} onChange={(e) => setPolicy({ ...policy, split: { ...policy.split!, by: e.target.value as 'customerRef' | 'caseId' } })}>
                  <option value="customerRef">{t('release.byCustomer')}</option>
                  <option value="caseId">{t('release.byCase')}</option>
                </select>
              </Labelled>
            </div>
          )}

          <div className="actions">
            <button type="button" className="danger" disabled={busy || !piloting || !mayEdit} onClick={() => void put({ ...policy, pilots: [], split: null }, t('release.allStopped'))}>
              {t('release.stopAll')}
            </button>
            <button type="button" disabled={!dirty || busy} onClick={() => saved && setPolicy(saved)}>
              {t('release.discard')}
            </button>
            <button type="button" className="primary" disabled={!dirty || busy || policy.defaultVersion === null || !mayEdit} onClick={() => void put(policy, t('release.saved'))}>
              {t('release.save')}
            </button>
          </div>
          {saved && saved.pilots.length > 0 && <PilotComparison flowKey={flowKey} pilots={saved.pilots} defaultVersion={saved.defaultVersion} />}
        </>
      )}
    </main>
  );
}
