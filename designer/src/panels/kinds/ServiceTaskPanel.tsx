import { caseFields, type CaseSchema, type ServiceTaskNode } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { useRuntimeInfo } from '../../editor/runtime-info';
import { useEditor } from '../../store/context';
import { NumberInput, TextInput } from '../inputs';
import { InputMappingEditor, OutputMappingEditor } from '../MappingEditor';

/** Connector, what it is sent, what comes back into the case, retries and time limit. */
export function ServiceTaskPanel({ node, schema }: { node: ServiceTaskNode; schema: CaseSchema }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const update = (patch: Partial<Omit<ServiceTaskNode, 'id' | 'kind'>>) => editor.updateNode(node.id, patch);
  const paths = caseFields(schema).map((f) => f.path);
  const { connectors } = useRuntimeInfo();
  const known = connectors.find((c) => c.name === node.connector);
  return (
    <>
      <TextInput
        label={t('props.connector')}
        value={node.connector}
        list="known-connectors"
        onCommit={(connector) => update({ connector })}
        hint={known?.description ?? t('props.connectorHint')}
      />
      <datalist id="known-connectors">
        {connectors.map((c) => (
          <option key={c.name} value={c.name}>
            {c.description}
          </option>
        ))}
      </datalist>
      <InputMappingEditor label={t('props.input')} value={node.input} onChange={(input) => update({ input })} />
      <OutputMappingEditor label={t('props.output')} value={node.output} fieldPaths={paths} onChange={(output) => update({ output })} />
      <div className="pair">
        <NumberInput
          label={t('props.retries')}
          value={node.retry?.maxAttempts}
          min={1}
          max={20}
          onCommit={(n) => update({ retry: n === undefined ? undefined : { ...(node.retry ?? {}), maxAttempts: n } })}
        />
        <TextInput
          label={t('props.backoff')}
          value={node.retry?.backoff ?? ''}
          hint={t('sla.durationHint')}
          onCommit={(b) => node.retry && update({ retry: b ? { ...node.retry, backoff: b } : { maxAttempts: node.retry.maxAttempts } })}
        />
      </div>
      <TextInput label={t('props.timeout')} value={node.timeout ?? ''} hint={t('sla.durationHint')} onCommit={(v) => update({ timeout: v || undefined })} />
      <p className="hint">{t('props.errorPortHint')}</p>
    </>
  );
}
