import { findCaseField, type FlowDefinition } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, CaseDetail } from '../../api/console-types';
import { asLang, type Lang } from '../../i18n';
import { ruleText } from '../../rules/rule-text';
import { localized } from '../model/form-schema';
import { ruleResults, type RuleResult } from '../model/rule-results';
import { formatTime, formatValue } from './format';

/** A node's name in the UI language (its id when the flow does not know it). */
export function nodeName(def: FlowDefinition | null, id: string | null | undefined, lang: Lang): string {
  if (!id) return '—';
  const n = def?.nodes.find((x) => x.id === id);
  return n ? localized(n.name, lang, id) : id;
}

/** A case-data field's title in the UI language. */
export function fieldTitle(def: FlowDefinition | null, path: string, lang: Lang): string {
  const f = def ? findCaseField(def.caseSchema, path) : undefined;
  return localized(f?.title, lang, path);
}

/**
 * The case's data as the API returned it for this caller: sensitive fields arrive masked for
 * roles that may not see them and are shown exactly so. Fields of the case schema come first,
 * in its order, with their titles; then anything else the case carries.
 */
export function CaseData({ kase, def }: { kase: CaseDetail; def: FlowDefinition | null }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const words = { yes: t('console.value.yes'), no: t('console.value.no'), empty: '—' };
  const declared = def ? Object.keys(def.caseSchema.properties) : [];
  const keys = [...declared.filter((k) => k in kase.data), ...Object.keys(kase.data).filter((k) => !declared.includes(k))];
  return (
    <section className="card" aria-labelledby="case-data-title">
      <h2 id="case-data-title">{t('console.case.data')}</h2>
      {kase.masked && <p className="hint">{t('console.case.masked')}</p>}
      <table className="kv" aria-labelledby="case-data-title">
        <tbody>
          {keys.map((k) => {
            const sensitive = def?.caseSchema.properties[k]?.sensitive === true;
            return (
              <tr key={k} data-testid={`data-${k}`}>
                <th scope="row">
                  {fieldTitle(def, k, lang)}
                  {sensitive && (
                    <span className="badge badge-sensitive" title={t('console.case.sensitiveHint')}>
                      {t('console.case.sensitive')}
                    </span>
                  )}
                </th>
                <td>{formatValue(kase.data[k], words)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {kase.flags.length > 0 && (
        <>
          <h3>{t('console.case.flags')}</h3>
          <ul className="flags">
            {kase.flags.map((f, i) => (
              <li key={`${f.code}-${i}`} className="flag">
                <strong>{f.message ? localized(f.message, lang, f.code) : f.code}</strong> <span className="hint">{nodeName(def, f.nodeId, lang)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Every decision and compliance gate of the case so far, with each rule's verdict and the data it read. */
export function RuleResults({ audit, def, title }: { audit: readonly AuditEntry[]; def: FlowDefinition | null; title?: string }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const results = ruleResults(def, audit);
  return (
    <section className="card" aria-labelledby="rule-results-title">
      <h2 id="rule-results-title">{title ?? t('console.rules.title')}</h2>
      {results.length === 0 && <p className="hint">{t('console.rules.none')}</p>}
      {results.map((r) => (
        <RuleResultView key={r.seq} result={r} def={def} lang={lang} />
      ))}
    </section>
  );
}

function RuleResultView({ result, def, lang }: { result: RuleResult; def: FlowDefinition | null; lang: Lang }) {
  const { t } = useTranslation();
  const schema = def?.caseSchema ?? { type: 'object' as const, properties: {} };
  const taken = def?.edges.find((e) => e.id === result.outcome);
  const outcome =
    result.kind === 'gate'
      ? t('console.rules.gateOutcome', { action: t(`console.rules.action.${result.outcome}`, { defaultValue: result.outcome }) })
      : t(result.byDefault ? 'console.rules.tookDefault' : 'console.rules.took', { to: nodeName(def, taken?.target, lang), edge: taken?.name ? localized(taken.name, lang, '') : '' });
  return (
    <details className="rule-result" open={result.kind === 'gate' ? result.outcome !== 'pass' : false} data-testid={`rules-${result.nodeId}-${result.seq}`}>
      <summary>
        <strong>{nodeName(def, result.nodeId, lang)}</strong> · {outcome} <span className="hint">{formatTime(result.at, lang)}</span>
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('console.rules.rule')}</th>
            <th scope="col">{t('console.rules.verdict')}</th>
            <th scope="col">{t('console.rules.reads')}</th>
          </tr>
        </thead>
        <tbody>
          {result.verdicts.map((v) => (
            <tr key={v.id} className={v.fired ? 'fired' : ''}>
              <td>
                {v.name ? localized(v.name, lang, v.id) : t('console.rules.toNode', { to: nodeName(def, def?.edges.find((e) => e.id === v.id)?.target, lang) })}
                <div className="hint">{ruleText(v.rule, schema, lang, 80) ?? ''}</div>
              </td>
              <td>
                {result.kind === 'gate'
                  ? v.fired
                    ? t('console.rules.fired', { action: t(`console.rules.action.${v.action ?? 'pass'}`, { defaultValue: v.action ?? '' }) })
                    : t('console.rules.notFired')
                  : v.fired
                    ? t('console.rules.held')
                    : t('console.rules.notHeld')}
                {v.error && <div className="field-error">{v.error}</div>}
              </td>
              <td>
                {Object.entries(v.reads).map(([k, val]) => (
                  <div key={k}>
                    {fieldTitle(def, k, lang)} = <code>{JSON.stringify(val)}</code>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The case's history from its audit trail: what happened, where, who, when, and why when a reason was given (newest first). */
export function CaseHistory({ audit, def, limit = 200 }: { audit: readonly AuditEntry[]; def: FlowDefinition | null; limit?: number }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const shown = audit.filter((e) => e.type !== 'node.left').slice(-limit).reverse();
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('console.history.title')}</h2>
      <ol className="history">
        {shown.map((e) => (
          <li key={e.seq}>
            <span className="hint">{formatTime(e.at, lang)}</span> <strong>{auditTypeLabel(e.type, t)}</strong> {e.nodeId ? nodeName(def, e.nodeId, lang) : ''}{' '}
            {e.actor && <span className="hint">· {e.actor}</span>}
            {typeof e.details.reason === 'string' && <div className="hint audit-detail">{e.details.reason}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A readable name for an audit entry type (the type itself when there is none). */
export function auditTypeLabel(type: string, t: (key: string, o?: Record<string, unknown>) => string): string {
  return t(`console.audit.types.${type.replace(/\./g, '_')}`, { defaultValue: type });
}
