import { same, validateRule, formatIssue, type CaseSchema, type Rule } from '@flowpath/engine';
import { useEffect, useId, useMemo, useRef, useState, type FocusEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import { asLang } from '../i18n';
import { queryToRule, ruleToQuery, schemaFields, type BuilderOperator, type SchemaField } from './rule-query';
import { ruleText } from './rule-text';
import { Labelled } from '../app/Labelled';

type Mode = 'builder' | 'json';

interface Draft {
  mode: Mode;
  /** Null when the JSON cannot be shown as a builder query. */
  query: RuleGroupType | null;
  json: string;
  jsonError: boolean;
  /** The rule the draft stands for (undefined = no rule). */
  rule: Rule | undefined;
}

function fromRule(rule: Rule | undefined, fields: readonly SchemaField[], mode?: Mode): Draft {
  const query = ruleToQuery(rule, fields);
  return { mode: mode ?? (query ? 'builder' : 'json'), query, json: rule === undefined ? '' : JSON.stringify(rule, null, 2), jsonError: false, rule };
}

/**
 * Writes a json-logic rule without writing JSON: a visual builder over the case schema's
 * fields, and a JSON view for experts that stays in sync both ways. Committed when focus leaves
 * the editor, so one rule edit is one undo step.
 */
export function RuleEditor({
  label,
  value: stored,
  schema,
  onCommit: commitStored,
  emptyRule,
  emptyLabel,
}: {
  label: string;
  value: Rule | undefined;
  schema: CaseSchema;
  onCommit: (rule: Rule | undefined) => void;
  /** What "no conditions" is stored as where a rule is required (`false`: never fires). */
  emptyRule?: Rule;
  /** Says what an empty rule means here ("never fires"). */
  emptyLabel?: string;
}) {
  // Where a rule must exist, its "empty" value is shown as an empty builder.
  const value = emptyRule !== undefined && same(stored, emptyRule) ? undefined : stored;
  const onCommit = (rule: Rule | undefined) => commitStored(rule === undefined && emptyRule !== undefined ? emptyRule : rule);
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const headingId = useId();
  const fields = useMemo(
    () => schemaFields(schema, lang, (op: BuilderOperator) => t(`rules.op.${op}`), { yes: t('rules.yes'), no: t('rules.no') }),
    [schema, lang, t],
  );
  const [draft, setDraft] = useState<Draft>(() => fromRule(value, fields));
  const committed = useRef<Rule | undefined>(value);

  // Outside changes (undo, another panel) replace the draft.
  useEffect(() => {
    if (!same(value, committed.current)) {
      committed.current = value;
      setDraft(fromRule(value, fields));
    }
  }, [value, fields]);

  const latest = useRef({ draft, onCommit });
  latest.current = { draft, onCommit };
  const commit = () => {
    const d = latest.current.draft;
    if (d.jsonError) return;
    if (same(d.rule, committed.current)) return;
    committed.current = d.rule;
    latest.current.onCommit(d.rule);
  };
  // Leaving the panel (selecting another node) also commits.
  useEffect(() => () => commit(), []);

  const onQueryChange = (query: RuleGroupType) => {
    const rule = queryToRule(query, fields);
    setDraft({ mode: 'builder', query, json: rule === undefined ? '' : JSON.stringify(rule, null, 2), jsonError: false, rule });
  };

  const onJsonChange = (json: string) => {
    if (json.trim() === '') {
      setDraft({ mode: 'json', query: ruleToQuery(undefined, fields), json, jsonError: false, rule: undefined });
      return;
    }
    try {
      const rule = JSON.parse(json) as Rule;
      setDraft({ mode: 'json', query: ruleToQuery(rule, fields), json, jsonError: false, rule });
    } catch {
      setDraft((d) => ({ ...d, mode: 'json', json, jsonError: true }));
    }
  };

  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) commit();
  };

  const issues = useMemo(() => (draft.rule === undefined || draft.jsonError ? [] : validateRule(draft.rule, { path: '', caseSchema: schema })), [draft.rule, draft.jsonError, schema]);
  const summary = draft.rule === undefined ? (emptyLabel ?? t('rules.empty')) : (ruleText(draft.rule, schema, lang, 200) ?? t('rules.noSummary'));
  const translations = useMemo(
    () => ({
      fields: { title: t('rules.field'), placeholderName: '~', placeholderLabel: t('rules.pickField'), placeholderGroupLabel: t('rules.pickField') },
      operators: { title: t('rules.operator'), placeholderName: '~', placeholderLabel: '…', placeholderGroupLabel: '…' },
      value: { title: t('rules.value') },
      removeRule: { label: '⨯', title: t('rules.removeCondition') },
      removeGroup: { label: '⨯', title: t('rules.removeGroup') },
      addRule: { label: t('rules.addCondition'), title: t('rules.addCondition') },
      addGroup: { label: t('rules.addGroup'), title: t('rules.addGroup') },
      combinators: { title: t('rules.combinator') },
      notToggle: { label: t('rules.not'), title: t('rules.notTitle') },
    }),
    [t],
  );
  const combinators = useMemo(
    () => [
      { name: 'and', value: 'and', label: t('rules.and') },
      { name: 'or', value: 'or', label: t('rules.or') },
    ],
    [t],
  );

  return (
    <div className="rule-editor" role="group" aria-labelledby={headingId} onBlur={onBlur}>
      <div className="rule-mode">
        <strong id={headingId}>{label}</strong>
        <button type="button" className="small" aria-pressed={draft.mode === 'builder'} disabled={!draft.query} onClick={() => setDraft((d) => ({ ...d, mode: 'builder' }))}>
          {t('rules.builder')}
        </button>
        <button type="button" className="small" aria-pressed={draft.mode === 'json'} onClick={() => setDraft((d) => ({ ...d, mode: 'json' }))}>
          {t('rules.json')}
        </button>
      </div>
      {draft.mode === 'builder' && draft.query ? (
        fields.length === 0 ? (
          <p className="hint">{t('rules.noFields')}</p>
        ) : (
          <QueryBuilder
            fields={fields}
            query={draft.query}
            onQueryChange={onQueryChange}
            translations={translations}
            combinators={combinators}
            listsAsArrays
            showNotToggle
            enableMountQueryChange={false}
            resetOnFieldChange
          />
        )
      ) : (
        <>
          {!draft.query && !draft.jsonError && (
            <p className="warning" role="status">
              {t('rules.notRepresentable')}
            </p>
          )}
          <Labelled label={t('rules.jsonLabel')}>
            <textarea value={draft.json} rows={6} spellCheck={false} aria-invalid={draft.jsonError ? true : undefined} onChange={(e) => onJsonChange(e.target.value)} />
          </Labelled>
          {draft.jsonError && (
            <span className="field-error" role="alert">
              {t('props.jsonInvalid')}
            </span>
          )}
        </>
      )}
      <div className="rule-preview" aria-live="polite">
        {summary}
      </div>
      {issues.length > 0 && (
        <ul className="issue-list">
          {issues.map((i, n) => (
            <li key={n} className={`issue issue-${i.severity}`}>
              {formatIssue(i, lang)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
