import type { CaseSchema, ComplianceGateNode, GateAction, GateRule } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { nextId } from '../../model/ids';
import { RuleEditor } from '../../rules/RuleEditor';
import { useEditor } from '../../store/context';
import { LocalizedInput, SelectInput, TextInput } from '../inputs';

const ACTIONS: readonly GateAction[] = ['pass', 'flag', 'require-step', 'stop'];

/** The gate's named rules, each with its condition and what happens when it fires. */
export function GatePanel({ node, schema }: { node: ComplianceGateNode; schema: CaseSchema }) {
  const { t } = useTranslation();
  const editor = useEditor();
  const setRules = (rules: GateRule[]) => editor.updateNode(node.id, { rules });
  const updateRule = (id: string, patch: Partial<GateRule>) => setRules(node.rules.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const next = [...node.rules];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setRules(next);
  };
  return (
    <>
      <p className="hint">{t('gate.explain')}</p>
      {node.rules.map((rule, i) => (
        <fieldset key={rule.id} className="subtle-box" aria-label={t('gate.ruleN', { n: i + 1 })}>
          <legend>
            {t('gate.ruleN', { n: i + 1 })} <code>{rule.id}</code>
          </legend>
          <LocalizedInput label={t('gate.name')} value={rule.name} onCommit={(name) => updateRule(rule.id, { name })} />
          <SelectInput
            label={t('gate.action')}
            value={rule.action}
            options={ACTIONS.map((a) => ({ value: a, label: t(`gate.actions.${a}`) }))}
            onChange={(action) => {
              const { outcome: _o, ...rest } = rule;
              setRules(node.rules.map((r) => (r.id === rule.id ? { ...(action === 'stop' ? rule : rest), action } : r)));
            }}
          />
          <RuleEditor
            label={t('gate.when')}
            value={rule.when}
            schema={schema}
            emptyRule={false}
            emptyLabel={t('gate.neverFires')}
            onCommit={(when) => editor.setRule({ type: 'gate-rule', nodeId: node.id, ruleId: rule.id }, when)}
          />
          {(rule.action === 'flag' || rule.action === 'stop') && (
            <LocalizedInput
              label={t('gate.message')}
              value={rule.message}
              onCommit={(message) => {
                const { message: _m, ...rest } = rule;
                setRules(node.rules.map((r) => (r.id === rule.id ? (message['zh-CN'] || message.en ? { ...rule, message } : rest) : r)));
              }}
            />
          )}
          {rule.action === 'stop' && (
            <TextInput label={t('gate.outcome')} value={rule.outcome ?? ''} placeholder="terminated" onCommit={(o) => updateRule(rule.id, { outcome: o || undefined })} />
          )}
          <div className="pair">
            <button type="button" className="small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('gate.moveUp', { n: i + 1 })}>
              ↑
            </button>
            <button type="button" className="small" disabled={i === node.rules.length - 1} onClick={() => move(i, 1)} aria-label={t('gate.moveDown', { n: i + 1 })}>
              ↓
            </button>
            <button type="button" className="small danger" onClick={() => setRules(node.rules.filter((r) => r.id !== rule.id))} aria-label={t('gate.removeN', { n: i + 1 })}>
              {t('props.remove')}
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => {
          const id = nextId('rule', node.rules.map((r) => r.id));
          setRules([...node.rules, { id, name: { 'zh-CN': t('gate.newRuleZh'), en: t('gate.newRuleEn') }, when: false, action: 'flag' }]);
        }}
      >
        {t('gate.add')}
      </button>
    </>
  );
}
