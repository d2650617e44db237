import type { FlowDefinition } from '@flowpath/engine';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { Problem, VersionSummary } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { useEditorState } from '../store/context';
import { DiffScreen } from './DiffScreen';
import { Labelled } from '../app/Labelled';

const DRAFT = 'draft';

/** Published versions of the flow, and a visual diff between any two of them (or the draft). */
export function VersionsPanel({ flowKey }: { flowKey: string; onNotice: (text: string) => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const draft = useEditorState((s) => s.doc);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(DRAFT);
  const [diff, setDiff] = useState<{ from: FlowDefinition; to: FlowDefinition; fromLabel: string; toLabel: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setProblem(null);
    try {
      const list = [...(await api.listVersions(flowKey))].sort((a, b) => b.version - a.version);
      setVersions(list);
      if (list[0]) setFrom((f) => f || String(list[0]!.version));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, flowKey]);

  useEffect(() => {
    void load();
  }, [load]);

  const label = (v: string) => (v === DRAFT ? t('versions.draft') : `v${v}`);
  const definitionOf = async (v: string) => (v === DRAFT ? draft : (await api.getVersion(flowKey, Number(v))).definition);

  const compare = async (a: string, b: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const [x, y] = await Promise.all([definitionOf(a), definitionOf(b)]);
      setDiff({ from: x, to: y, fromLabel: label(a), toLabel: label(b) });
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  const fmt = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(i18n.language);
  };
  const options = [{ value: DRAFT, label: label(DRAFT) }, ...(versions ?? []).map((v) => ({ value: String(v.version), label: label(String(v.version)) }))];

  return (
    <section className="props" aria-label={t('editor.tab.versions')}>
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      <button type="button" onClick={() => void load()}>
        {t('flows.refresh')}
      </button>
      {versions === null && !problem && <p>{t('app.loading')}</p>}
      {versions !== null && versions.length === 0 && <p>{t('versions.none')}</p>}
      {versions !== null && versions.length > 0 && (
        <>
          <fieldset className="subtle-box">
            <legend>{t('versions.compare')}</legend>
            <div className="pair">
              <Labelled label={t('versions.from')}>
                <select value={from} onChange={(e) => setFrom(e.target.value)}>
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </Labelled>
              <Labelled label={t('versions.to')}>
                <select value={to} onChange={(e) => setTo(e.target.value)}>
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </Labelled>
            </div>
            <button type="button" disabled={busy || !from || from === to} onClick={() => void compare(from, to)}>
              {t('versions.showDiff')}
            </button>
          </fieldset>
          <ol className="version-list" aria-label={t('versions.list')}>
            {versions.map((v) => (
              <li key={v.version}>
                <strong>v{v.version}</strong> · {fmt(v.publishedAt)}
                {v.publishedBy && <> · {t('versions.by', { who: v.publishedBy })}</>}
                {v.note && <div>{v.note}</div>}
                {v.version > 1 && (
                  <button type="button" className="link" disabled={busy} onClick={() => void compare(String(v.version - 1), String(v.version))}>
                    {t('versions.diffPrevious', { previous: v.version - 1, version: v.version })}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {diff && <DiffScreen {...diff} onClose={() => setDiff(null)} />}
    </section>
  );
}
