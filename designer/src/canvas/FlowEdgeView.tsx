import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';
import { ruleText } from '../rules/rule-text';
import { useEditorState } from '../store/context';
import type { FlowRfEdge } from './view-model';

/** An edge with its meaning written on it: condition, default, order or port, and its issues. */
export const FlowEdgeView = memo(function FlowEdgeView(props: EdgeProps<FlowRfEdge>) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const schema = useEditorState((s) => s.doc.caseSchema);
  const { id, data, selected, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd } = props;
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 8 });
  const edge = data?.edge;
  const parts: string[] = [];
  if (edge) {
    if (edge.order !== undefined) parts.push(`#${edge.order}`);
    if (edge.name?.[lang]) parts.push(edge.name[lang]);
    if (edge.port) parts.push(t(`ports.${edge.port}`));
    if (edge.default) parts.push(t('canvas.default'));
    else if (edge.condition !== undefined && !edge.name?.[lang]) parts.push(ruleText(edge.condition, schema, lang, 40) ?? t('canvas.condition'));
  }
  const label = parts.join(' ');
  const issues = data?.issueCount ?? 0;
  const classes = ['flow-edge', issues ? 'has-issues' : '', data?.mark ? `mark-${data.mark}` : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} className={classes} interactionWidth={16} />
      {(label || issues > 0) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label ${classes}`}
            data-testid={`edge-label-${id}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {label}
            {issues > 0 && (
              <span className="badge badge-issues" role="status" aria-label={t('canvas.issueCount', { count: issues })}>
                {issues}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const EDGE_TYPES = { flow: FlowEdgeView };
