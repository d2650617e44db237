import type { Milestone } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';
import { nextId } from '../model/ids';
import { useEditor, useEditorState } from '../store/context';
import { JsonInput, ListInput, LocalizedInput, NumberInput, SelectInput, TextInput } from './inputs';
import { SlaEditor } from './SlaEditor';

/** Flow-level settings: names, owner, calendar, starting priority, case time limit, milestones. */
export function FlowPanel() {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const doc = useEditorState((s) => s.doc);
  const priorityMode = doc.priority === undefined ? 'default' : typeof doc.priority === 'number' ? 'fixed' : 'rule';
  const milestones = doc.milestones ?? [];
  const setMilestones = (list: Milestone[]) => editor.updateFlow({ milestones: list.length ? list : undefined });
  const nodeOptions = doc.nodes.map((n) => ({ value: n.id, label: `${n.name[lang] || n.id} (${n.id})` }));
  return (
    <section className="props" aria-label={t('editor.tab.flow')}>
      <LocalizedInput label={t('flowProps.name')} value={doc.name} onCommit={(name) => editor.updateFlow({ name })} />
      <LocalizedInput label={t('flowProps.description')} value={doc.description} onCommit={(d) => editor.updateFlow({ description: d['zh-CN'] || d.en ? d : undefined })} />
      <TextInput label={t('flowProps.owner')} value={doc.owner ?? ''} onCommit={(owner) => editor.updateFlow({ owner: owner || undefined })} />
      <ListInput label={t('flowProps.tags')} value={doc.tags} hint={t('props.listHint')} onCommit={(tags) => editor.updateFlow({ tags: tags.length ? tags : undefined })} />
      <TextInput label={t('flowProps.calendar')} value={doc.calendar ?? ''} placeholder="cn-mainland" onCommit={(c) => editor.updateFlow({ calendar: c || undefined })} />
      <SelectInput
        label={t('flowProps.priority')}
        value={priorityMode}
        options={[
          { value: 'default', label: t('flowProps.priorityDefault') },
          { value: 'fixed', label: t('props.priorityFixed') },
          { value: 'rule', label: t('props.priorityRule') },
        ]}
        onChange={(m) => editor.updateFlow({ priority: m === 'default' ? undefined : m === 'fixed' ? 50 : { rule: { if: [{ '==': [{ var: 'segment' }, 'vip'] }, 80, 50] } } })}
      />
      {typeof doc.priority === 'number' && (
        <NumberInput label={t('props.priorityValue')} value={doc.priority} min={0} max={100} onCommit={(p) => p !== undefined && editor.updateFlow({ priority: Math.max(0, Math.min(100, p)) })} />
      )}
      {typeof doc.priority === 'object' && (
        <JsonInput label={t('props.priorityRuleLabel')} value={doc.priority.rule} rows={3} onCommit={(rule) => editor.updateFlow({ priority: rule === undefined ? undefined : { rule } })} />
      )}
      <SlaEditor label={t('flowProps.sla')} value={doc.sla} onChange={(sla) => editor.updateFlow({ sla })} />
      <fieldset>
        <legend>{t('flowProps.milestones')}</legend>
        {milestones.map((m, i) => (
          <div key={m.id} className="subtle-box" role="group" aria-label={t('flowProps.milestoneN', { n: i + 1 })}>
            <LocalizedInput label={t('flowProps.milestoneName')} value={m.name} onCommit={(name) => setMilestones(milestones.map((x) => (x.id === m.id ? { ...x, name } : x)))} />
            <SelectInput
              label={t('flowProps.milestoneFrom')}
              value={m.from ?? ''}
              options={[{ value: '', label: t('flowProps.caseStart') }, ...nodeOptions]}
              onChange={(from) =>
                setMilestones(
                  milestones.map((x) => {
                    if (x.id !== m.id) return x;
                    const { from: _f, ...rest } = x;
                    return from ? { ...rest, from } : rest;
                  }),
                )
              }
            />
            <SelectInput label={t('flowProps.milestoneTo')} value={m.to} options={nodeOptions} onChange={(to) => setMilestones(milestones.map((x) => (x.id === m.id ? { ...x, to } : x)))} />
            <TextInput
              label={t('flowProps.milestoneTarget')}
              value={m.target ?? ''}
              hint={t('sla.durationHint')}
              onCommit={(target) =>
                setMilestones(
                  milestones.map((x) => {
                    if (x.id !== m.id) return x;
                    const { target: _t, ...rest } = x;
                    return target ? { ...rest, target } : rest;
                  }),
                )
              }
            />
            <button type="button" className="small danger" onClick={() => setMilestones(milestones.filter((x) => x.id !== m.id))} aria-label={t('flowProps.removeMilestone', { n: i + 1 })}>
              {t('props.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={doc.nodes.length === 0}
          onClick={() =>
            setMilestones([
              ...milestones,
              { id: nextId('milestone', milestones.map((m) => m.id)), name: { 'zh-CN': t('flowProps.newMilestoneZh'), en: t('flowProps.newMilestoneEn') }, to: doc.nodes[doc.nodes.length - 1]!.id },
            ])
          }
        >
          {t('flowProps.addMilestone')}
        </button>
      </fieldset>
    </section>
  );
}
