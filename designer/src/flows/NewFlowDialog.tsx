import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { FlowSummary, Problem } from '../api/types';
import { Modal } from '../app/Modal';
import { ProblemView } from '../app/ProblemView';
import { asLang } from '../i18n';
import { blankFlow, FLOW_KEY, fromTemplate } from './new-flow';
import { Labelled } from '../app/Labelled';

/** Creates a flow from scratch or as a copy of a published flow, then opens it. */
export function NewFlowDialog({ flows, onClose, onCreated }: { flows: readonly FlowSummary[]; onClose: () => void; onCreated: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const templates = flows.filter((f) => f.versions.length > 0);
  const [key, setKey] = useState('');
  const [nameZh, setNameZh] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [source, setSource] = useState<'blank' | 'template'>('blank');
  const [template, setTemplate] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!FLOW_KEY.test(key)) found.key = t('newFlow.keyInvalid');
    else if (flows.some((f) => f.key === key)) found.key = t('newFlow.keyTaken');
    if (!nameZh.trim() || !nameEn.trim()) found.name = t('newFlow.nameMissing');
    const tpl = templates.find((f) => f.key === template);
    if (source === 'template' && !tpl) found.template = t('newFlow.templateMissing');
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setProblem(null);
    try {
      const name = { 'zh-CN': nameZh.trim(), en: nameEn.trim() };
      let definition = blankFlow(key, name);
      if (source === 'template' && tpl) {
        const version = tpl.latestVersion ?? Math.max(...tpl.versions);
        const published = await api.getVersion(tpl.key, version);
        definition = fromTemplate(published.definition, key, name);
      }
      await api.createFlow(definition);
      onCreated(key);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const err = (field: string) =>
    errors[field] ? (
      <span id={`new-flow-${field}-error`} role="alert" className="field-error">
        {errors[field]}
      </span>
    ) : null;

  return (
    <Modal title={t('newFlow.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Labelled label={t('newFlow.key')}>
          <input value={key} onChange={(e) => setKey(e.target.value.trim())} aria-invalid={errors.key ? true : undefined} aria-describedby={errors.key ? 'new-flow-key-error' : undefined} />
        </Labelled>
        {err('key')}
        <Labelled label={t('newFlow.nameZh')}>
          <input value={nameZh} onChange={(e) => setNameZh(e.target.value)} lang="zh-CN" />
        </Labelled>
        <Labelled label={t('newFlow.nameEn')}>
          <input value={nameEn} onChange={(e) => setNameEn(e.target.value)} lang="en" />
        </Labelled>
        {err('name')}
        <fieldset>
          <legend>{t('newFlow.source')}</legend>
          <label className="inline">
            <input type="radio" name="source" checked={source === 'blank'} onChange={() => setSource('blank')} />
            {t('newFlow.blank')}
          </label>
          <label className="inline">
            <input type="radio" name="source" checked={source === 'template'} onChange={() => setSource('template')} disabled={templates.length === 0} />
            {t('newFlow.template')}
          </label>
        </fieldset>
        {source === 'template' && (
          <Labelled label={t('newFlow.templateFlow')}>
            <select value={template} onChange={(e) => setTemplate(e.target.value)}>
              <option value="" />
              {templates.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.name[lang]} ({f.key} v{f.latestVersion})
                </option>
              ))}
            </select>
          </Labelled>
        )}
        {err('template')}
        {problem && <ProblemView problem={problem} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" disabled={busy} className="primary">
            {busy ? t('newFlow.creating') : t('newFlow.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
