import { caseFields, type CaseField } from '@flowpath/engine';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_NAME, getField } from '../model/case-schema';
import { TextInput } from '../panels/inputs';
import { useEditor, useEditorState } from '../store/context';
import { Labelled } from '../app/Labelled';

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;
type FieldType = (typeof TYPES)[number];
const FORMATS = ['', 'date', 'date-time'] as const;
/** What a top-level number field may record for process health (CaseField.satisfaction). */
const SATISFACTION = ['', 'csat', 'nps'] as const;

/** Whether the field at `path` is in its parent's required list. */
function isRequired(schemaRequired: readonly string[] | undefined, parent: CaseField | undefined, name: string): boolean {
  return (parent ? parent.required : schemaRequired)?.includes(name) ?? false;
}

/**
 * The case data as a table of fields: name (dotted for nested), type, required, sensitive
 * (personal information), dimension (for process-health figures) and allowed values.
 */
export function CaseSchemaEditor() {
  const { t } = useTranslation();
  const editor = useEditor();
  const schema = useEditorState((s) => s.doc.caseSchema);
  const rows = caseFields(schema);
  const [name, setName] = useState('');
  const [type, setType] = useState<FieldType>('string');
  const [error, setError] = useState<string | null>(null);

  const add = (e: FormEvent) => {
    e.preventDefault();
    const path = name.trim();
    const parts = path.split('.');
    if (!parts.every((p) => FIELD_NAME.test(p))) return setError(t('schema.nameInvalid'));
    if (getField(schema, path)) return setError(t('schema.nameTaken'));
    if (parts.length > 1 && getField(schema, parts.slice(0, -1).join('.'))?.type !== 'object') return setError(t('schema.parentMissing'));
    setError(null);
    if (editor.addField(path, { type })) setName('');
  };

  return (
    <section aria-label={t('schema.title')} className="props">
      <p className="hint">{t('schema.explain')}</p>
      <table aria-label={t('schema.title')}>
        <thead>
          <tr>
            <th scope="col">{t('schema.name')}</th>
            <th scope="col">{t('schema.type')}</th>
            <th scope="col">{t('schema.required')}</th>
            <th scope="col">{t('schema.sensitive')}</th>
            <th scope="col">{t('schema.dimension')}</th>
            <th scope="col">
              <span className="sr-only">{t('form.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ path, field }) => {
            const parts = path.split('.');
            const leaf = parts[parts.length - 1]!;
            const parent = parts.length > 1 ? getField(schema, parts.slice(0, -1).join('.')) : undefined;
            return (
              <tr key={path} data-testid={`field-${path}`}>
                <th scope="row" style={{ paddingLeft: `${(parts.length - 1) * 1}rem` }}>
                  <code>{path}</code>
                </th>
                <td>
                  <select value={field.type ?? 'string'} aria-label={t('schema.typeOf', { path })} onChange={(e) => editor.updateField(path, { type: e.target.value as FieldType })}>
                    {TYPES.map((ty) => (
                      <option key={ty} value={ty}>
                        {t(`schema.types.${ty}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input type="checkbox" aria-label={t('schema.requiredOf', { path })} checked={isRequired(schema.required, parent, leaf)} onChange={(e) => editor.updateField(path, {}, e.target.checked)} />
                </td>
                <td>
                  <input type="checkbox" aria-label={t('schema.sensitiveOf', { path })} checked={field.sensitive ?? false} onChange={(e) => editor.updateField(path, { sensitive: e.target.checked || undefined })} />
                </td>
                <td>
                  <input type="checkbox" aria-label={t('schema.dimensionOf', { path })} checked={field.dimension ?? false} onChange={(e) => editor.updateField(path, { dimension: e.target.checked || undefined })} />
                </td>
                <td>
                  <button type="button" className="small danger" aria-label={t('schema.removeOf', { path })} onClick={() => editor.removeField(path)}>
                    {t('props.remove')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.map(({ path, field }) =>
        field.type === 'string' || field.type === undefined || field.type === 'number' || field.type === 'integer' ? (
          <details key={`more-${path}`}>
            <summary>
              {t('schema.moreOf', { path })}
              {field.enum ? ` · ${field.enum.join(', ')}` : ''}
            </summary>
            <FieldDetails path={path} field={field} />
          </details>
        ) : null,
      )}
      <form onSubmit={add} className="pair">
        <Labelled label={t('schema.newName')}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="customer.tier" aria-invalid={error ? true : undefined} />
        </Labelled>
        <Labelled label={t('schema.newType')}>
          <select value={type} onChange={(e) => setType(e.target.value as FieldType)}>
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`schema.types.${ty}`)}
              </option>
            ))}
          </select>
        </Labelled>
        <button type="submit">{t('schema.add')}</button>
      </form>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}

function FieldDetails({ path, field }: { path: string; field: CaseField }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const numeric = field.type === 'number' || field.type === 'integer';
  const title = field.title ?? { 'zh-CN': '', en: '' };
  return (
    <div className="subtle-box">
      <div className="pair">
        <TextInput label={t('schema.titleZh')} ariaLabel={t('schema.titleZhOf', { path })} value={title['zh-CN']} onCommit={(zh) => editor.updateField(path, { title: { ...title, 'zh-CN': zh } })} />
        <TextInput label={t('schema.titleEn')} ariaLabel={t('schema.titleEnOf', { path })} value={title.en} onCommit={(en) => editor.updateField(path, { title: { ...title, en } })} />
      </div>
      <TextInput
        label={t('schema.allowed')}
        ariaLabel={t('schema.allowedOf', { path })}
        hint={t('schema.allowedHint')}
        value={(field.enum ?? []).map(String).join(', ')}
        onCommit={(s) => {
          const values = s
            .split(/[,，]/)
            .map((x) => x.trim())
            .filter(Boolean)
            .map((x) => (numeric && !Number.isNaN(Number(x)) ? Number(x) : x));
          editor.updateField(path, { enum: values.length ? values : undefined });
        }}
      />
      {!numeric && (
        <Labelled label={t('schema.format')}>
          <select value={field.format ?? ''} aria-label={t('schema.formatOf', { path })} onChange={(e) => editor.updateField(path, { format: e.target.value || undefined })}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {f ? t(`schema.formats.${f}`) : t('schema.formats.none')}
              </option>
            ))}
          </select>
        </Labelled>
      )}
      <label className="inline">
        <input type="checkbox" checked={field.customerRef ?? false} onChange={(e) => editor.updateField(path, { customerRef: e.target.checked || undefined })} />
        <span>{t('schema.customerRef')}</span>
      </label>
      {numeric && !path.includes('.') && (
        <Labelled label={t('schema.satisfaction')}>
          <select
            value={field.satisfaction ?? ''}
            aria-label={t('schema.satisfactionOf', { path })}
            onChange={(e) => editor.updateField(path, { satisfaction: (e.target.value || undefined) as CaseField['satisfaction'] })}
          >
            {SATISFACTION.map((k) => (
              <option key={k} value={k}>
                {t(`schema.satisfactionKinds.${k || 'none'}`)}
              </option>
            ))}
          </select>
        </Labelled>
      )}
    </div>
  );
}
