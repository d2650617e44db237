import type { Rule } from '@flowpath/engine';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JsonInput, TextInput } from './inputs';
import { Labelled } from '../app/Labelled';

/**
 * Connector or sub-flow input: name → rule over the case data (`{"var": "customer.id"}` reads a
 * field). Shown as rows; a new row reads a field by default.
 */
export function InputMappingEditor({ label, value, onChange }: { label: string; value: Record<string, Rule> | undefined; onChange: (v: Record<string, Rule> | undefined) => void }) {
  const { t } = useTranslation();
  const entries = Object.entries(value ?? {});
  const [newName, setNewName] = useState('');
  const set = (next: [string, Rule][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <fieldset className="subtle-box">
      <legend>{label}</legend>
      {entries.map(([name, rule], i) => (
        <div key={name} className="pair">
          <TextInput label={t('mapping.name')} ariaLabel={`${label}: ${t('mapping.name')} ${i + 1}`} value={name} onCommit={(n) => n && !(n in (value ?? {})) && set(entries.map(([k, r]) => (k === name ? [n, r] : [k, r])))} />
          <JsonInput label={t('mapping.value')} value={rule} onCommit={(r) => set(entries.map(([k, x]) => (k === name ? [k, r ?? null] : [k, x])))} rows={1} />
          <button type="button" className="small danger" aria-label={t('mapping.remove', { name })} onClick={() => set(entries.filter(([k]) => k !== name))}>
            {t('props.remove')}
          </button>
        </div>
      ))}
      <div className="pair">
        <TextInput label={t('mapping.newName')} ariaLabel={`${label}: ${t('mapping.newName')}`} value={newName} onCommit={setNewName} />
        <button
          type="button"
          disabled={!newName || newName in (value ?? {})}
          onClick={() => {
            set([...entries, [newName, { var: newName }]]);
            setNewName('');
          }}
        >
          {t('props.add')}
        </button>
      </div>
    </fieldset>
  );
}

/** Output: case-data field → dotted path in the connector's (or child case's) result. */
export function OutputMappingEditor({
  label,
  value,
  fieldPaths,
  onChange,
}: {
  label: string;
  value: Record<string, string> | undefined;
  fieldPaths: readonly string[];
  onChange: (v: Record<string, string> | undefined) => void;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(value ?? {});
  const [field, setField] = useState('');
  const set = (next: [string, string][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <fieldset className="subtle-box">
      <legend>{label}</legend>
      {entries.map(([f, path]) => (
        <div key={f} className="pair">
          <code>{f}</code>
          <TextInput label={t('mapping.resultPath')} ariaLabel={`${label}: ${f}`} value={path} onCommit={(p) => set(entries.map(([k, v]) => (k === f ? [k, p] : [k, v])))} />
          <button type="button" className="small danger" aria-label={t('mapping.remove', { name: f })} onClick={() => set(entries.filter(([k]) => k !== f))}>
            {t('props.remove')}
          </button>
        </div>
      ))}
      <div className="pair">
        <Labelled label={t('mapping.caseField')}>
          <select value={field} onChange={(e) => setField(e.target.value)} aria-label={`${label}: ${t('mapping.caseField')}`}>
            <option value="" />
            {fieldPaths
              .filter((p) => !(p in (value ?? {})))
              .map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
          </select>
        </Labelled>
        <button
          type="button"
          disabled={!field}
          onClick={() => {
            set([...entries, [field, field]]);
            setField('');
          }}
        >
          {t('props.add')}
        </button>
      </div>
    </fieldset>
  );
}
