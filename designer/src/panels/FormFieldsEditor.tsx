import { caseFields, type CaseSchema, type FormField, type FormFieldType } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { TextInput } from './inputs';

const TYPES: readonly FormFieldType[] = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum'];

/** The type a form field gets when its case field is picked. */
function typeFor(schema: CaseSchema, key: string): FormFieldType {
  const f = caseFields(schema).find((x) => x.path === key)?.field;
  if (!f) return 'string';
  if (f.enum) return 'enum';
  if (f.type === 'number') return 'number';
  if (f.type === 'integer') return 'integer';
  if (f.type === 'boolean') return 'boolean';
  if (f.format === 'date') return 'date';
  if (f.format === 'date-time') return 'datetime';
  return 'string';
}

/**
 * The task's form as a table: which case field each input writes, its type, whether it is
 * required, and (for choices) its options.
 */
export function FormFieldsEditor({ schema, fields, onChange }: { schema: CaseSchema; fields: readonly FormField[]; onChange: (fields: FormField[]) => void }) {
  const { t } = useTranslation();
  const paths = caseFields(schema)
    .filter((f) => f.field.type !== 'object')
    .map((f) => f.path);
  const update = (i: number, patch: Partial<FormField>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const add = () => {
    const key = paths.find((p) => !fields.some((f) => f.key === p)) ?? '';
    const title = caseFields(schema).find((x) => x.path === key)?.field.title;
    onChange([...fields, { key, label: title ?? { 'zh-CN': key, en: key }, type: typeFor(schema, key) }]);
  };
  return (
    <fieldset>
      <legend>{t('form.title')}</legend>
      <table aria-label={t('form.title')}>
        <thead>
          <tr>
            <th scope="col">{t('form.key')}</th>
            <th scope="col">{t('form.type')}</th>
            <th scope="col">{t('form.required')}</th>
            <th scope="col">
              <span className="sr-only">{t('form.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={i}>
              <td>
                <select
                  value={f.key}
                  aria-label={t('form.keyN', { n: i + 1 })}
                  onChange={(e) => {
                    const key = e.target.value;
                    const title = caseFields(schema).find((x) => x.path === key)?.field.title;
                    update(i, { key, type: typeFor(schema, key), ...(title ? { label: title } : {}) });
                  }}
                >
                  {!paths.includes(f.key) && <option value={f.key}>{f.key || '—'}</option>}
                  {paths.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select value={f.type} aria-label={t('form.typeN', { n: i + 1 })} onChange={(e) => update(i, { type: e.target.value as FormFieldType })}>
                  {TYPES.map((ty) => (
                    <option key={ty} value={ty}>
                      {t(`form.types.${ty}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input type="checkbox" checked={f.required ?? false} aria-label={t('form.requiredN', { n: i + 1 })} onChange={(e) => update(i, { required: e.target.checked || undefined })} />
              </td>
              <td>
                <button type="button" className="small danger" aria-label={t('form.removeN', { n: i + 1 })} onClick={() => onChange(fields.filter((_, j) => j !== i))}>
                  {t('props.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {fields.map((f, i) =>
        f.type === 'enum' ? (
          <TextInput
            key={`opts-${i}`}
            label={t('form.optionsFor', { key: f.key })}
            hint={t('form.optionsHint')}
            value={(f.options ?? []).map((o) => o.value).join(', ')}
            onCommit={(s) => {
              const values = s
                .split(/[,，]/)
                .map((x) => x.trim())
                .filter(Boolean);
              const old = new Map((f.options ?? []).map((o) => [o.value, o]));
              update(i, { options: values.map((v) => old.get(v) ?? { value: v, label: { 'zh-CN': v, en: v } }) });
            }}
          />
        ) : null,
      )}
      <button type="button" onClick={add} disabled={paths.length === 0}>
        {t('form.add')}
      </button>
      {paths.length === 0 && <p className="hint">{t('rules.noFields')}</p>}
    </fieldset>
  );
}
