import type { CaseSchema, UserTaskNode } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { useEditor, useEditorState } from '../../store/context';
import { FormFieldsEditor } from '../FormFieldsEditor';
import { JsonInput, ListInput, NumberInput, SelectInput, TextInput } from '../inputs';
import { SlaEditor } from '../SlaEditor';

/** Queue, roles, priority, form, time limit and four-eyes rule of a user task. */
export function UserTaskPanel({ node, schema }: { node: UserTaskNode; schema: CaseSchema }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const tasks = useEditorState((s) => s.doc.nodes).filter((n) => n.kind === 'user-task' && n.id !== node.id);
  const update = (patch: Partial<Omit<UserTaskNode, 'id' | 'kind'>>) => editor.updateNode(node.id, patch);
  const priorityMode = node.priority === undefined ? 'case' : typeof node.priority === 'number' ? 'fixed' : 'rule';
  return (
    <>
      <TextInput label={t('props.queue')} value={node.queue} onCommit={(queue) => update({ queue })} hint={t('props.queueHint')} />
      <ListInput label={t('props.roles')} value={node.roles} hint={t('props.listHint')} onCommit={(roles) => update({ roles: roles.length ? roles : undefined })} />
      <SelectInput
        label={t('props.priority')}
        value={priorityMode}
        options={[
          { value: 'case', label: t('props.priorityCase') },
          { value: 'fixed', label: t('props.priorityFixed') },
          { value: 'rule', label: t('props.priorityRule') },
        ]}
        onChange={(m) => update({ priority: m === 'case' ? undefined : m === 'fixed' ? 50 : { rule: { if: [{ '==': [{ var: 'segment' }, 'vip'] }, 80, 50] } } })}
      />
      {typeof node.priority === 'number' && (
        <NumberInput label={t('props.priorityValue')} value={node.priority} min={0} max={100} onCommit={(p) => p !== undefined && update({ priority: Math.max(0, Math.min(100, p)) })} />
      )}
      {typeof node.priority === 'object' && (
        <JsonInput label={t('props.priorityRuleLabel')} value={node.priority.rule} rows={3} onCommit={(rule) => update({ priority: rule === undefined ? undefined : { rule } })} />
      )}
      <FormFieldsEditor schema={schema} fields={node.form?.fields ?? []} onChange={(fields) => update({ form: fields.length ? { fields } : undefined })} />
      <SlaEditor label={t('sla.title')} value={node.sla} onChange={(sla) => update({ sla })} />
      {tasks.length > 0 && (
        <fieldset>
          <legend>{t('props.fourEyes')}</legend>
          {tasks.map((other) => (
            <label key={other.id} className="inline">
              <input
                type="checkbox"
                checked={node.notCompletedBy?.includes(other.id) ?? false}
                onChange={(e) => {
                  const list = new Set(node.notCompletedBy ?? []);
                  if (e.target.checked) list.add(other.id);
                  else list.delete(other.id);
                  update({ notCompletedBy: list.size ? [...list] : undefined });
                }}
              />
              {other.name['zh-CN'] === other.name.en ? other.name.en : `${other.name['zh-CN']} / ${other.name.en}`} <code>{other.id}</code>
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
