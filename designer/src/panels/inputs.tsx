import type { LocalizedText } from '@flowpath/engine';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Text that is committed when the field loses focus or Enter is pressed, so typing a word is one
 * undo step, not one per key. Escape throws the typing away.
 */
export function TextInput({
  label,
  value,
  onCommit,
  placeholder,
  lang,
  hint,
  multiline,
  invalid,
  list,
  ariaLabel,
}: {
  label: string;
  /** Full accessible name when the visible label is short (e.g. "English" under "Name"). */
  ariaLabel?: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  lang?: string;
  hint?: ReactNode;
  multiline?: boolean;
  invalid?: string | null;
  list?: string;
}) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  const errorId = `${id}-error`;
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  const common = {
    id,
    value: draft,
    placeholder,
    lang,
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': invalid ? errorId : undefined,
    'aria-label': ariaLabel,
    onBlur: commit,
  };
  return (
    <div className="labelled">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setDraft(value)} />
      ) : (
        <input
          {...common}
          list={list}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            else if (e.key === 'Escape') setDraft(value);
          }}
        />
      )}
      {hint && <span className="hint">{hint}</span>}
      {invalid && (
        <span id={errorId} className="field-error" role="alert">
          {invalid}
        </span>
      )}
    </div>
  );
}

/** A number committed on blur or Enter; empty means "not set" (undefined). */
export function NumberInput({
  label,
  value,
  onCommit,
  min,
  max,
  step,
}: {
  label: string;
  value: number | undefined;
  onCommit: (value: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number;
}) {
  const [draft, setDraft] = useState(value === undefined ? '' : String(value));
  const id = useId();
  useEffect(() => setDraft(value === undefined ? '' : String(value)), [value]);
  const commit = () => {
    const next = draft.trim() === '' ? undefined : Number(draft);
    if (next !== undefined && Number.isNaN(next)) {
      setDraft(value === undefined ? '' : String(value));
      return;
    }
    if (next !== value) onCommit(next);
  };
  return (
    <div className="labelled">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={draft}
        min={min}
        max={max}
        step={step}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </div>
  );
}

/** A name in both languages, side by side. */
export function LocalizedInput({ label, value, onCommit }: { label: string; value: LocalizedText | undefined; onCommit: (value: LocalizedText) => void }) {
  const { t } = useTranslation();
  const v = value ?? { 'zh-CN': '', en: '' };
  return (
    <fieldset className="pair-fieldset">
      <legend>{label}</legend>
      <div className="pair">
        <TextInput label={t('props.zh')} ariaLabel={`${label} (${t('props.zh')})`} lang="zh-CN" value={v['zh-CN']} onCommit={(zh) => onCommit({ ...v, 'zh-CN': zh })} />
        <TextInput label={t('props.en')} ariaLabel={`${label} (${t('props.en')})`} lang="en" value={v.en} onCommit={(en) => onCommit({ ...v, en })} />
      </div>
    </fieldset>
  );
}

/** A comma-separated list of names (roles, allowed values), committed on blur. */
export function ListInput({ label, value, onCommit, hint }: { label: string; value: readonly string[] | undefined; onCommit: (value: string[]) => void; hint?: string }) {
  const text = (value ?? []).join(', ');
  return (
    <TextInput
      label={label}
      value={text}
      hint={hint}
      onCommit={(s) =>
        onCommit(
          s
            .split(/[,，]/)
            .map((x) => x.trim())
            .filter(Boolean),
        )
      }
    />
  );
}

/** A select that commits at once. */
export function SelectInput<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="labelled">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A checkbox that commits at once. */
export function CheckInput({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="inline">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

/** JSON text committed on blur when it parses; a parse error is shown and nothing is committed. */
export function JsonInput({ label, value, onCommit, rows = 2 }: { label: string; value: unknown; onCommit: (value: unknown) => void; rows?: number }) {
  const { t } = useTranslation();
  const text = value === undefined ? '' : JSON.stringify(value);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const errorId = `${id}-error`;
  useEffect(() => {
    setDraft(text);
    setError(null);
  }, [text]);
  const commit = () => {
    if (draft === text) return;
    if (draft.trim() === '') {
      setError(null);
      onCommit(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(draft);
      setError(null);
      onCommit(parsed);
    } catch {
      setError(t('props.jsonInvalid'));
    }
  };
  return (
    <div className="labelled">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={draft}
        rows={rows}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
      />
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
