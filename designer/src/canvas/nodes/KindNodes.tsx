import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRfNode } from '../view-model';
import { NodeShell } from './NodeShell';

type Props = NodeProps<FlowRfNode>;

/** Start, decision, split and join show only their label. */
export const PlainNode = memo(function PlainNode({ id, data }: Props) {
  return <NodeShell id={id} data={data} />;
});

export const EndNode = memo(function EndNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'end') return <NodeShell id={id} data={data} />;
  return <NodeShell id={id} data={data} detail={`${t('canvas.outcome')}: ${n.outcome}${n.terminate ? ` · ${t('canvas.terminate')}` : ''}`} />;
});

export const UserTaskNode = memo(function UserTaskNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'user-task') return <NodeShell id={id} data={data} />;
  const queue = n.queue || t('canvas.noQueue');
  const fields = n.form?.fields.length ?? 0;
  return <NodeShell id={id} data={data} detail={`${t('canvas.queue')}: ${queue}${fields ? ` · ${t('canvas.fields', { count: fields })}` : ''}`} />;
});

export const ServiceTaskNode = memo(function ServiceTaskNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'service-task') return <NodeShell id={id} data={data} />;
  return <NodeShell id={id} data={data} detail={`${t('canvas.connector')}: ${n.connector || t('canvas.none')}`} />;
});

export const GateNode = memo(function GateNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'compliance-gate') return <NodeShell id={id} data={data} />;
  return <NodeShell id={id} data={data} detail={t('canvas.rules', { count: n.rules.length })} />;
});

export const WaitNode = memo(function WaitNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'wait') return <NodeShell id={id} data={data} />;
  const detail = n.timer ? `${t('canvas.timer')}: ${n.timer.duration}` : n.message ? `${t('canvas.message')}: ${n.message}` : t('canvas.none');
  return <NodeShell id={id} data={data} detail={detail} />;
});

export const SubFlowNode = memo(function SubFlowNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'sub-flow') return <NodeShell id={id} data={data} />;
  return <NodeShell id={id} data={data} detail={`${t('canvas.flow')}: ${n.flow || t('canvas.none')}`} />;
});

export const SetDataNode = memo(function SetDataNode({ id, data }: Props) {
  const { t } = useTranslation();
  const n = data.node;
  if (n.kind !== 'set-data') return <NodeShell id={id} data={data} />;
  return <NodeShell id={id} data={data} detail={t('canvas.assignments', { count: n.assignments.length })} />;
});
