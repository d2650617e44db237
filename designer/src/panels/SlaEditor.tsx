import type { Escalation, Sla } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { fromDuration, SLA_UNITS, toDuration, type SlaUnit } from '../model/sla-units';
import { LocalizedInput, NumberInput, SelectInput, TextInput } from './inputs';

type WarnMode = 'none' | 'before' | 'fraction';

/**
 * A time limit as number + unit (hours, working hours, working days, T+n...), a warning point
 * and the escalations after a breach. Durations the simple form cannot show stay editable as text.
 */
export function SlaEditor({ label, value, onChange, allowEscalations = true }: { label: string; value: Sla | undefined; onChange: (sla: Sla | undefined) => void; allowEscalations?: boolean }) {
  const { t } = useTranslation();
  const unitOptions = SLA_UNITS.map((u) => ({ value: u, label: t(`sla.unit.${u}`) }));
  if (!value) {
    return (
      <fieldset>
        <legend>{label}</legend>
        <button type="button" onClick={() => onChange({ duration: 'PT4H', mode: 'working' })}>
          {t('sla.add')}
        </button>
      </fieldset>
    );
  }
  const amount = fromDuration(value.duration, value.mode);
  const setAmount = (a: number | undefined, unit: SlaUnit) => {
    if (a === undefined || a <= 0) return;
    const d = toDuration({ amount: a, unit });
    const { mode: _m, ...rest } = value;
    onChange({ ...rest, duration: d.duration, ...(d.mode ? { mode: d.mode } : {}) });
  };
  const warnMode: WarnMode = value.warnBefore !== undefined ? 'before' : value.warnAt !== undefined ? 'fraction' : 'none';
  const setWarnMode = (m: WarnMode) => {
    const { warnBefore: _b, warnAt: _a, ...rest } = value;
    if (m === 'none') onChange(rest);
    else if (m === 'before') onChange({ ...rest, warnBefore: 'PT1H' });
    else onChange({ ...rest, warnAt: 0.8 });
  };
  const escalations = value.escalations ?? [];
  const setEscalations = (list: Escalation[]) => {
    const { escalations: _e, ...rest } = value;
    onChange(list.length ? { ...rest, escalations: list } : rest);
  };
  return (
    <fieldset className="subtle-box">
      <legend>{label}</legend>
      {amount ? (
        <div className="pair">
          <NumberInput label={t('sla.amount')} value={amount.amount} min={1} onCommit={(a) => setAmount(a, amount.unit)} />
          <SelectInput label={t('sla.unitLabel')} value={amount.unit} options={unitOptions} onChange={(u) => setAmount(amount.amount, u)} />
        </div>
      ) : (
        <TextInput label={t('sla.duration')} value={value.duration} hint={t('sla.durationHint')} onCommit={(d) => onChange({ ...value, duration: d })} />
      )}
      <SelectInput
        label={t('sla.warn')}
        value={warnMode}
        options={[
          { value: 'none', label: t('sla.warnNone') },
          { value: 'before', label: t('sla.warnBefore') },
          { value: 'fraction', label: t('sla.warnFraction') },
        ]}
        onChange={setWarnMode}
      />
      {warnMode === 'before' && <TextInput label={t('sla.warnBeforeValue')} value={value.warnBefore ?? ''} hint={t('sla.durationHint')} onCommit={(d) => onChange({ ...value, warnBefore: d })} />}
      {warnMode === 'fraction' && (
        <NumberInput
          label={t('sla.warnAtPercent')}
          value={value.warnAt === undefined ? undefined : Math.round(value.warnAt * 100)}
          min={1}
          max={99}
          onCommit={(p) => p !== undefined && p > 0 && p < 100 && onChange({ ...value, warnAt: p / 100 })}
        />
      )}
      {allowEscalations && (
        <div>
          <h4>{t('sla.escalations')}</h4>
          {escalations.map((esc, i) => (
            <EscalationRow
              key={i}
              index={i}
              value={esc}
              onChange={(next) => setEscalations(escalations.map((e, j) => (j === i ? next : e)))}
              onRemove={() => setEscalations(escalations.filter((_, j) => j !== i))}
            />
          ))}
          <div className="pair">
            <button type="button" onClick={() => setEscalations([...escalations, { action: 'reassign', queue: '' }])}>
              {t('sla.addReassign')}
            </button>
            <button type="button" onClick={() => setEscalations([...escalations, { action: 'raise-priority', to: 80 }])}>
              {t('sla.addRaise')}
            </button>
            <button type="button" onClick={() => setEscalations([...escalations, { action: 'notify', to: '' }])}>
              {t('sla.addNotify')}
            </button>
          </div>
        </div>
      )}
      <button type="button" className="danger" onClick={() => onChange(undefined)}>
        {t('sla.remove')}
      </button>
    </fieldset>
  );
}

function EscalationRow({ index, value, onChange, onRemove }: { index: number; value: Escalation; onChange: (e: Escalation) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const n = index + 1;
  return (
    <div className="subtle-box" role="group" aria-label={t('sla.escalationN', { n })}>
      <strong>{t(`sla.action.${value.action}`)}</strong>
      {value.action === 'reassign' && <TextInput label={t('sla.toQueue')} ariaLabel={`${t('sla.toQueue')} ${n}`} value={value.queue} onCommit={(queue) => onChange({ ...value, queue })} />}
      {value.action === 'raise-priority' && <NumberInput label={t('sla.toPriority')} value={value.to} min={0} max={100} onCommit={(to) => to !== undefined && onChange({ ...value, to })} />}
      {value.action === 'notify' && (
        <>
          <TextInput label={t('sla.notifyTo')} ariaLabel={`${t('sla.notifyTo')} ${n}`} value={value.to} onCommit={(to) => onChange({ ...value, to })} />
          <LocalizedInput
            label={t('sla.notifyMessage')}
            value={value.message}
            onCommit={(message) => {
              const { message: _m, ...rest } = value;
              onChange(message['zh-CN'] || message.en ? { ...rest, message } : rest);
            }}
          />
        </>
      )}
      <button type="button" className="small danger" onClick={onRemove} aria-label={t('sla.removeEscalation', { n })}>
        {t('props.remove')}
      </button>
    </div>
  );
}
