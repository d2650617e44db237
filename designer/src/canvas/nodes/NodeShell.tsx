import type { Node as FlowNode } from '@flowpath/engine';
import { Handle, Position } from '@xyflow/react';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { asLang } from '../../i18n';
import { KIND_META } from '../../model/kinds';
import { SLA_BADGE_KEYS, slaBadge } from '../../model/sla-units';
import type { FlowNodeData } from '../view-model';
import { KindIcon } from './KindIcon';

/** The frame every node kind draws in: handles, kind, label in the current language, badges. */
export function NodeShell({ id, data, detail }: { id: string; data: FlowNodeData; detail?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const { node, issueCount, mark } = data;
  const meta = KIND_META[node.kind];
  const name = node.name?.[lang] || node.name?.[lang === 'en' ? 'zh-CN' : 'en'] || node.id;
  const sla = 'sla' in node && node.sla ? slaBadge(node.sla) : null;
  const classes = ['flow-node', `kind-${node.kind}`, issueCount > 0 ? 'has-issues' : '', mark ? `mark-${mark}` : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`node-${id}`} style={{ '--kind-colour': meta.colour } as CSSProperties}>
      {meta.hasInput && <Handle type="target" position={Position.Left} aria-label={t('canvas.inHandle')} />}
      <div className="node-head">
        <KindIcon kind={node.kind} colour={meta.colour} />
        <span className="node-kind">{t(`kinds.${node.kind}`)}</span>
        {sla !== null && (
          <span className="badge badge-sla" title={t('sla.title')}>
            {typeof sla === 'string' ? sla : t(SLA_BADGE_KEYS[sla.unit], { count: sla.amount })}
          </span>
        )}
        {issueCount > 0 && (
          <span className="badge badge-issues" role="status" aria-label={t('canvas.issueCount', { count: issueCount })}>
            {issueCount}
          </span>
        )}
      </div>
      <div className="node-name">{name}</div>
      {detail ? <div className="node-detail">{detail}</div> : null}
      {meta.hasOutput && <Handle type="source" position={Position.Right} aria-label={t('canvas.outHandle')} />}
      {meta.ports.map((port) => (
        <Handle key={port} id={port} type="source" position={Position.Bottom} className={`port port-${port}`} aria-label={t(`ports.${port}`)}>
          <span className="port-label">{t(`ports.${port}`)}</span>
        </Handle>
      ))}
    </div>
  );
}

/** Shared by the kind components: a node's data narrowed to its kind. */
export type KindNode<K extends FlowNode['kind']> = Extract<FlowNode, { kind: K }>;
