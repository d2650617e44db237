import type { Edge, Node } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';
import { RuleEditor } from '../rules/RuleEditor';
import { useEditor, useEditorState } from '../store/context';
import { CheckInput, LocalizedInput, NumberInput } from './inputs';
import { GatePanel } from './kinds/GatePanel';
import { ServiceTaskPanel } from './kinds/ServiceTaskPanel';
import { DecisionPanel, EndPanel, SetDataPanel, SubFlowPanel } from './kinds/SmallPanels';
import { UserTaskPanel } from './kinds/UserTaskPanel';
import { WaitPanel } from './kinds/WaitPanel';

/** Configuration of the selected node or edge. */
export function PropertyPanel() {
  const { t } = useTranslation();
  const doc = useEditorState((s) => s.doc);
  const selection = useEditorState((s) => s.selection);
  const count = selection.nodes.length + selection.edges.length;
  const node = selection.nodes.length === 1 && selection.edges.length === 0 ? doc.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  const edge = selection.edges.length === 1 && selection.nodes.length === 0 ? doc.edges.find((e) => e.id === selection.edges[0]) : undefined;
  return (
    <section className="props" aria-label={t('editor.tab.properties')}>
      {node ? (
        // Keyed by id so that drafts in the inputs never leak from one node to the next.
        <NodePanel key={node.id} node={node} />
      ) : edge ? (
        <EdgePanel key={edge.id} edge={edge} />
      ) : count > 1 ? (
        <p>{t('props.many', { nodes: selection.nodes.length, edges: selection.edges.length })}</p>
      ) : (
        <p className="hint">{t('props.nothing')}</p>
      )}
    </section>
  );
}

function NodePanel({ node }: { node: Node }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const schema = useEditorState((s) => s.doc.caseSchema);
  return (
    <>
      <h2>
        {t(`kinds.${node.kind}`)} <code>{node.id}</code>
      </h2>
      <LocalizedInput label={t('props.name')} value={node.name} onCommit={(name) => editor.updateNode(node.id, { name })} />
      <LocalizedInput
        label={t('props.description')}
        value={node.description}
        onCommit={(d) => editor.updateNode(node.id, { description: d['zh-CN'] || d.en ? d : undefined })}
      />
      {node.kind === 'user-task' && <UserTaskPanel node={node} schema={schema} />}
      {node.kind === 'service-task' && <ServiceTaskPanel node={node} schema={schema} />}
      {node.kind === 'compliance-gate' && <GatePanel node={node} schema={schema} />}
      {node.kind === 'decision' && <DecisionPanel node={node} />}
      {node.kind === 'wait' && <WaitPanel node={node} />}
      {node.kind === 'sub-flow' && <SubFlowPanel node={node} schema={schema} />}
      {node.kind === 'set-data' && <SetDataPanel node={node} schema={schema} />}
      {node.kind === 'end' && <EndPanel node={node} />}
      {(node.kind === 'parallel-split' || node.kind === 'parallel-join') && <p className="hint">{t(`props.hint.${node.kind}`)}</p>}
      {node.kind === 'start' && <p className="hint">{t('props.hint.start')}</p>}
    </>
  );
}

function EdgePanel({ edge }: { edge: Edge }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const doc = useEditorState((s) => s.doc);
  const source = doc.nodes.find((n) => n.id === edge.source);
  const target = doc.nodes.find((n) => n.id === edge.target);
  const fromDecision = source?.kind === 'decision';
  return (
    <>
      <h2>
        {t('edge.title')} <code>{edge.id}</code>
      </h2>
      <p>
        {source?.name[lang] ?? edge.source} → {target?.name[lang] ?? edge.target}
        {edge.port && <> ({t(`ports.${edge.port}`)})</>}
      </p>
      <LocalizedInput label={t('edge.name')} value={edge.name} onCommit={(name) => editor.updateEdge(edge.id, { name: name['zh-CN'] || name.en ? name : undefined })} />
      {fromDecision ? (
        <>
          <CheckInput label={t('edge.default')} checked={edge.default ?? false} onChange={(c) => editor.updateEdge(edge.id, { default: c })} />
          <NumberInput label={t('edge.order')} value={edge.order} min={0} onCommit={(order) => editor.updateEdge(edge.id, { order })} />
          {edge.default ? (
            <p className="hint">{t('edge.defaultHint')}</p>
          ) : (
            <RuleEditor label={t('edge.condition')} value={edge.condition} schema={doc.caseSchema} onCommit={(rule) => editor.setRule({ type: 'edge-condition', edgeId: edge.id }, rule)} />
          )}
        </>
      ) : (
        <p className="hint">{t('edge.plainHint')}</p>
      )}
    </>
  );
}
