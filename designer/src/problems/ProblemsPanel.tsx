import { formatIssue, type Issue } from '@flowpath/engine';
import { useReactFlow } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';
import { useEditor, useEditorState } from '../store/context';

/** Every validation issue of the document; a click selects the node or edge and centres it. */
export function ProblemsPanel() {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const issues = useEditorState((s) => s.issues);
  const flow = useReactFlow();
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;

  const reveal = (issue: Issue) => {
    const doc = editor.store.getState().doc;
    const nodeId = issue.nodeId ?? (issue.edgeId ? doc.edges.find((e) => e.id === issue.edgeId)?.source : undefined);
    if (issue.edgeId && doc.edges.some((e) => e.id === issue.edgeId)) editor.select({ nodes: [], edges: [issue.edgeId] });
    else if (issue.nodeId && doc.nodes.some((n) => n.id === issue.nodeId)) editor.select({ nodes: [issue.nodeId], edges: [] });
    const node = nodeId ? flow.getInternalNode(nodeId) : undefined;
    if (node) {
      const w = node.measured.width ?? 180;
      const h = node.measured.height ?? 64;
      void flow.setCenter(node.internals.positionAbsolute.x + w / 2, node.internals.positionAbsolute.y + h / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
    }
  };

  return (
    <section className="problems" aria-label={t('problems.title')}>
      <h2>
        {t('problems.title')}{' '}
        <span className="counts" role="status">
          {issues.length === 0 ? t('problems.none') : t('problems.counts', { errors, warnings })}
        </span>
      </h2>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={`${issue.code}|${issue.path}|${i}`} className={`issue issue-${issue.severity}`}>
              <button type="button" className="link" onClick={() => reveal(issue)}>
                <span className="issue-severity">{t(issue.severity === 'error' ? 'problems.error' : 'problems.warning')}</span> {formatIssue(issue, lang)}
              </button>{' '}
              <code className="issue-where">{issue.nodeId ?? issue.edgeId ?? issue.path}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
