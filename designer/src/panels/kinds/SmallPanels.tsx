import { caseFields, type CaseSchema, type DecisionNode, type EndNode, type SetDataNode, type SubFlowNode } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { asLang } from '../../i18n';
import { ruleText } from '../../rules/rule-text';
import { useRuntimeInfo } from '../../editor/runtime-info';
import { useEditor, useEditorState } from '../../store/context';
import { CheckInput, JsonInput, TextInput } from '../inputs';
import { InputMappingEditor, OutputMappingEditor } from '../MappingEditor';
import { Labelled } from '../../app/Labelled';

/** The outcome recorded on the case, and whether the end stops every other branch. */
export function EndPanel({ node }: { node: EndNode }) {
  const { t } = useTranslation();
  const editor = useEditor();
  return (
    <>
      <TextInput label={t('end.outcome')} value={node.outcome} hint={t('end.outcomeHint')} onCommit={(outcome) => editor.updateNode(node.id, { outcome })} />
      <CheckInput label={t('end.terminate')} checked={node.terminate ?? false} onChange={(c) => editor.updateNode(node.id, { terminate: c || undefined })} />
    </>
  );
}

/** A decision's paths live on its outgoing edges; listed here in evaluation order. */
export function DecisionPanel({ node }: { node: DecisionNode }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const doc = useEditorState((s) => s.doc);
  const out = doc.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.source === node.id)
    .sort((a, b) => (a.e.default ? 1 : 0) - (b.e.default ? 1 : 0) || (a.e.order ?? Infinity) - (b.e.order ?? Infinity) || a.i - b.i)
    .map(({ e }) => e);
  return (
    <>
      <p className="hint">{t('decision.explain')}</p>
      <ol>
        {out.map((e) => {
          const target = doc.nodes.find((n) => n.id === e.target);
          return (
            <li key={e.id}>
              <button type="button" className="link" onClick={() => editor.select({ nodes: [], edges: [e.id] })}>
                → {target?.name[lang] ?? e.target}:{' '}
                {e.default ? t('canvas.default') : e.condition !== undefined ? (ruleText(e.condition, doc.caseSchema, lang) ?? t('canvas.condition')) : t('decision.noCondition')}
              </button>
            </li>
          );
        })}
      </ol>
    </>
  );
}

/** Which published flow to start, what it receives and what comes back. */
export function SubFlowPanel({ node, schema }: { node: SubFlowNode; schema: CaseSchema }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const update = (patch: Partial<Omit<SubFlowNode, 'id' | 'kind'>>) => editor.updateNode(node.id, patch);
  const { flows } = useRuntimeInfo();
  return (
    <>
      <TextInput label={t('subflow.flow')} value={node.flow} hint={t('subflow.flowHint')} list="published-flows" onCommit={(flow) => update({ flow })} />
      <datalist id="published-flows">
        {flows.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <InputMappingEditor label={t('props.input')} value={node.input} onChange={(input) => update({ input })} />
      <OutputMappingEditor label={t('subflow.output')} value={node.output} fieldPaths={caseFields(schema).map((f) => f.path)} onChange={(output) => update({ output })} />
    </>
  );
}

/** Case fields computed by rules (`{"var": …}`, arithmetic, constants). */
export function SetDataPanel({ node, schema }: { node: SetDataNode; schema: CaseSchema }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const paths = caseFields(schema)
    .filter((f) => f.field.type !== 'object')
    .map((f) => f.path);
  const set = (assignments: SetDataNode['assignments']) => editor.updateNode(node.id, { assignments });
  return (
    <>
      <p className="hint">{t('setData.explain')}</p>
      {node.assignments.map((a, i) => (
        <fieldset key={i} className="subtle-box">
          <legend>{t('setData.assignmentN', { n: i + 1 })}</legend>
          <Labelled label={t('setData.field')}>
            <select
              value={a.field}
              aria-label={t('setData.fieldN', { n: i + 1 })}
              onChange={(e) => set(node.assignments.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))}
            >
              {!paths.includes(a.field) && <option value={a.field}>{a.field || '—'}</option>}
              {paths.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </Labelled>
          <JsonInput label={t('setData.value')} value={a.value} onCommit={(value) => set(node.assignments.map((x, j) => (j === i ? { ...x, value: value ?? null } : x)))} />
          <button type="button" className="small danger" aria-label={t('setData.removeN', { n: i + 1 })} onClick={() => set(node.assignments.filter((_, j) => j !== i))}>
            {t('props.remove')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => set([...node.assignments, { field: paths[0] ?? '', value: null }])} disabled={paths.length === 0}>
        {t('setData.add')}
      </button>
    </>
  );
}
