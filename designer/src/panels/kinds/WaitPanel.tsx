import type { WaitNode } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { fromDuration, SLA_UNITS, toDuration } from '../../model/sla-units';
import { useEditor } from '../../store/context';
import { NumberInput, SelectInput, TextInput } from '../inputs';
import { SlaEditor } from '../SlaEditor';

/** A wait continues on a message or after a timer; a message wait may have a time limit. */
export function WaitPanel({ node }: { node: WaitNode }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const update = (patch: Partial<Omit<WaitNode, 'id' | 'kind'>>) => editor.updateNode(node.id, patch);
  const mode = node.timer ? 'timer' : 'message';
  const timer = node.timer ? fromDuration(node.timer.duration, node.timer.mode) : null;
  return (
    <>
      <SelectInput
        label={t('wait.mode')}
        value={mode}
        options={[
          { value: 'message', label: t('wait.byMessage') },
          { value: 'timer', label: t('wait.byTimer') },
        ]}
        onChange={(m) => (m === 'timer' ? update({ message: undefined, sla: undefined, timer: { duration: 'P1D', mode: 'working' } }) : update({ timer: undefined }))}
      />
      {mode === 'message' && (
        <>
          <TextInput label={t('wait.message')} value={node.message ?? ''} hint={t('wait.messageHint')} onCommit={(message) => update({ message })} />
          <SlaEditor label={t('wait.limit')} value={node.sla} onChange={(sla) => update({ sla })} />
          <p className="hint">{t('wait.timeoutHint')}</p>
        </>
      )}
      {mode === 'timer' && node.timer && (
        <fieldset className="subtle-box">
          <legend>{t('wait.timer')}</legend>
          {timer ? (
            <div className="pair">
              <NumberInput
                label={t('sla.amount')}
                value={timer.amount}
                min={1}
                onCommit={(a) => a !== undefined && a > 0 && update({ timer: toDuration({ amount: a, unit: timer.unit }) })}
              />
              <SelectInput
                label={t('sla.unitLabel')}
                value={timer.unit}
                options={SLA_UNITS.map((u) => ({ value: u, label: t(`sla.unit.${u}`) }))}
                onChange={(unit) => update({ timer: toDuration({ amount: timer.amount, unit }) })}
              />
            </div>
          ) : (
            <TextInput label={t('sla.duration')} value={node.timer.duration} onCommit={(d) => update({ timer: { ...node.timer!, duration: d } })} />
          )}
        </fieldset>
      )}
    </>
  );
}
