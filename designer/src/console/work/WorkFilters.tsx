import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowSummary, Me } from '../../api/types';
import { Labelled } from '../../app/Labelled';
import { asLang } from '../../i18n';
import { localized } from '../model/form-schema';
import { DUE_FILTERS, loadSavedFilters, NO_FILTER, storeSavedFilters, withSaved, type DueFilter, type SavedFilter, type WorkFilter } from '../model/work-filter';

/** Queue, flow, branch and due filters, "only mine", and filters saved under a name in this browser. */
export function WorkFilters({ me, flows, filter, onChange }: { me: Me; flows: FlowSummary[]; filter: WorkFilter; onChange: (f: WorkFilter) => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(me.name));
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState('');
  const anyQueue = me.queues.includes('*') || me.roles.includes('admin') || me.roles.includes('auditor');
  const set = (patch: Partial<WorkFilter>) => {
    setChosen('');
    onChange({ ...filter, ...patch });
  };
  const keep = (list: SavedFilter[]) => {
    setSaved(list);
    storeSavedFilters(me.name, list);
  };
  const dueLabel: Record<DueFilter, string> = {
    any: t('console.work.due.any'),
    breached: t('console.work.due.breached'),
    'at-risk': t('console.work.due.atRisk'),
    today: t('console.work.due.today'),
    none: t('console.work.due.none'),
  };

  return (
    <form className="filters" aria-label={t('console.work.filters')} onSubmit={(e) => e.preventDefault()}>
      <Labelled label={t('console.work.queue')}>
        {anyQueue ? (
          <input type="text" value={filter.queue} placeholder={t('console.work.allQueues')} onChange={(e) => set({ queue: e.target.value.trim() })} />
        ) : (
          <select value={filter.queue} onChange={(e) => set({ queue: e.target.value })}>
            <option value="">{t('console.work.allQueues')}</option>
            {me.queues.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Labelled label={t('console.work.flow')}>
        <select value={filter.flow} onChange={(e) => set({ flow: e.target.value })}>
          <option value="">{t('console.work.allFlows')}</option>
          {flows.map((f) => (
            <option key={f.key} value={f.key}>
              {localized(f.name, lang, f.key)}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label={t('console.work.branch')}>
        <input type="text" value={filter.branch} placeholder={t('console.work.anyBranch')} title={t('console.work.branchHint')} onChange={(e) => set({ branch: e.target.value })} />
      </Labelled>
      <Labelled label={t('console.work.due.label')}>
        <select value={filter.due} onChange={(e) => set({ due: e.target.value as DueFilter })}>
          {DUE_FILTERS.map((d) => (
            <option key={d} value={d}>
              {dueLabel[d]}
            </option>
          ))}
        </select>
      </Labelled>
      <div className="labelled inline">
        <input id="work-mine" type="checkbox" checked={filter.mine} onChange={(e) => set({ mine: e.target.checked })} />
        <label htmlFor="work-mine">{t('console.work.mine')}</label>
      </div>
      <Labelled label={t('console.work.saved')}>
        <select
          value={chosen}
          onChange={(e) => {
            const s = saved.find((x) => x.name === e.target.value);
            setChosen(e.target.value);
            if (s) onChange(s.filter);
          }}
        >
          <option value="">{t('console.work.savedNone', { count: saved.length })}</option>
          {saved.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </Labelled>
      {chosen && (
        <button
          type="button"
          className="small"
          onClick={() => {
            keep(saved.filter((s) => s.name !== chosen));
            setChosen('');
          }}
        >
          {t('console.work.deleteSaved')}
        </button>
      )}
      <Labelled label={t('console.work.saveAs')}>
        <input type="text" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </Labelled>
      <button
        type="button"
        className="small"
        disabled={!name.trim()}
        onClick={() => {
          keep(withSaved(saved, name, filter));
          setChosen(name.trim());
          setName('');
        }}
      >
        {t('console.work.save')}
      </button>
      <button
        type="button"
        className="small"
        onClick={() => {
          setChosen('');
          onChange(NO_FILTER);
        }}
      >
        {t('console.work.clear')}
      </button>
    </form>
  );
}
