/**
 * Messages for issue codes in Simplified Chinese and English, filled from an issue's params.
 * Code is the contract; a message is for people and may be reworded at any time.
 */
import i18next from 'i18next';
import type { Issue } from './model';
import { calendarMessages } from './calendar/messages';
import { ruleMessages } from './rules/messages';

export type Lang = 'zh-CN' | 'en';
export type Catalogue = Record<string, { en: string; 'zh-CN': string }>;

const flowMessages: Catalogue = {
  'node.id.duplicate': { en: 'Another node already has the id "{{id}}".', 'zh-CN': '节点编号“{{id}}”重复。' },
  'edge.id.duplicate': { en: 'Another connection already has the id "{{id}}".', 'zh-CN': '连线编号“{{id}}”重复。' },
  'edge.source.missing': { en: 'This connection starts at "{{node}}", which is not a node of the flow.', 'zh-CN': '连线的起点“{{node}}”不是流程中的节点。' },
  'edge.target.missing': { en: 'This connection leads to "{{node}}", which is not a node of the flow.', 'zh-CN': '连线指向的“{{node}}”不是流程中的节点。' },
  'edge.self-loop': { en: 'A connection cannot lead from a step back to itself.', 'zh-CN': '连线不能从节点直接连回自身。' },
  'flow.start.missing': { en: 'The flow has no start.', 'zh-CN': '流程缺少开始节点。' },
  'flow.start.multiple': { en: 'A flow has exactly one start; this one has {{count}}.', 'zh-CN': '流程只能有一个开始节点，当前有 {{count}} 个。' },
  'flow.end.missing': { en: 'The flow has no end.', 'zh-CN': '流程缺少结束节点。' },
  'flow.calendar.unknown': { en: 'Business calendar "{{calendar}}" does not exist.', 'zh-CN': '工作日历“{{calendar}}”不存在。' },
  'node.kind.unknown': { en: 'Step type "{{kind}}" is not known to this version of Flowpath.', 'zh-CN': '节点类型“{{kind}}”无法识别。' },
  'node.kind-version.unknown': { en: 'Version {{version}} of step type "{{kind}}" is not supported.', 'zh-CN': '节点类型“{{kind}}”的版本 {{version}} 不受支持。' },
  'node.incoming.missing': { en: 'Nothing leads to this step; it needs at least {{min}} incoming connection(s).', 'zh-CN': '没有连线进入此节点，至少需要 {{min}} 条。' },
  'node.incoming.unexpected': { en: 'This step cannot have incoming connections (it has {{count}}).', 'zh-CN': '此节点不能有进入的连线（当前 {{count}} 条）。' },
  'node.outgoing.missing': { en: 'This step needs at least {{min}} outgoing connection(s); it has {{count}}.', 'zh-CN': '此节点至少需要 {{min}} 条流出连线，当前 {{count}} 条。' },
  'node.outgoing.multiple': { en: 'This step can have only {{max}} outgoing connection(s); it has {{count}}. Use a decision to choose a path.', 'zh-CN': '此节点最多 {{max}} 条流出连线，当前 {{count}} 条。请用“条件分支”选择路径。' },
  'node.outgoing.unexpected': { en: 'An end cannot have outgoing connections.', 'zh-CN': '结束节点不能有流出连线。' },
  'node.unreachable': { en: 'No path from the start reaches this step.', 'zh-CN': '从开始节点无法到达此节点。' },
  'node.end.unreachable': { en: 'From this step no path leads to an end, so a case here could never finish.', 'zh-CN': '从此节点出发无法到达任何结束节点，案件将无法办结。' },
  'loop.no-exit': { en: 'This step is in a loop with no way out to an end.', 'zh-CN': '此节点处于没有出口的循环中，无法到达结束节点。' },
  'edge.port.invalid': { en: 'A "{{kind}}" step has no "{{port}}" exit.', 'zh-CN': '“{{kind}}”类型的节点没有“{{port}}”出口。' },
  'edge.port.duplicate': { en: 'Only one connection may leave by the "{{port}}" exit.', 'zh-CN': '“{{port}}”出口只能有一条连线。' },
  'edge.condition.unexpected': { en: 'Only connections leaving a decision can have a condition.', 'zh-CN': '只有从条件分支流出的连线可以设置条件。' },
  'edge.default.unexpected': { en: 'Only connections leaving a decision can be the default path.', 'zh-CN': '只有从条件分支流出的连线可以设为默认路径。' },
  'decision.default.missing': { en: 'A decision needs exactly one default path, taken when no condition holds.', 'zh-CN': '条件分支需要一条默认路径（所有条件都不满足时走此路径）。' },
  'decision.default.multiple': { en: 'A decision has exactly one default path; this one has {{count}}.', 'zh-CN': '条件分支只能有一条默认路径，当前有 {{count}} 条。' },
  'decision.condition.missing': { en: 'This path of the decision has no condition and is not the default.', 'zh-CN': '此分支路径既没有条件也不是默认路径。' },
  'decision.default.condition': { en: 'The default path ignores its condition.', 'zh-CN': '默认路径上的条件不会被使用。' },
  'form.field.duplicate': { en: 'The form has field "{{field}}" twice.', 'zh-CN': '表单字段“{{field}}”重复。' },
  'form.options.missing': { en: 'Choice field "{{field}}" needs a list of options.', 'zh-CN': '选择型字段“{{field}}”需要设置选项。' },
  'form.pattern.invalid': { en: 'The format pattern of field "{{field}}" is not a valid regular expression.', 'zh-CN': '字段“{{field}}”的格式校验不是有效的正则表达式。' },
  'task.four-eyes.node-missing': { en: 'Four-eyes rule refers to "{{node}}", which is not a user task.', 'zh-CN': '双人复核规则引用的“{{node}}”不是人工任务。' },
  'service.connector.unknown': { en: 'There is no connector named "{{connector}}".', 'zh-CN': '不存在名为“{{connector}}”的系统连接器。' },
  'gate.rule.duplicate': { en: 'Two rules of this gate have the id "{{rule}}".', 'zh-CN': '此合规关卡中规则编号“{{rule}}”重复。' },
  'gate.extra.missing': { en: 'A rule requires an extra step, but no connection leaves by the "extra step" exit.', 'zh-CN': '有规则要求追加步骤，但“追加步骤”出口没有连线。' },
  'gate.extra.unused': { en: 'The "extra step" exit is connected but no rule requires an extra step.', 'zh-CN': '“追加步骤”出口已连线，但没有规则会触发追加步骤。' },
  'wait.trigger.missing': { en: 'A wait needs either a message to wait for or a timer.', 'zh-CN': '等待节点需要设置等待的消息或定时器。' },
  'wait.trigger.multiple': { en: 'A wait has either a message or a timer, not both.', 'zh-CN': '等待节点只能设置消息或定时器之一。' },
  'wait.timeout.no-sla': { en: 'The timeout exit needs a time limit on the wait.', 'zh-CN': '超时出口需要为等待节点设置时限。' },
  'subflow.recursive': { en: 'A flow cannot start itself as a sub-flow.', 'zh-CN': '流程不能把自身作为子流程调用。' },
  'subflow.flow.unknown': { en: 'There is no published flow "{{flow}}".', 'zh-CN': '不存在已发布的流程“{{flow}}”。' },
  'data.field.unknown': { en: 'Field "{{field}}" is not in the case data schema.', 'zh-CN': '字段“{{field}}”不在案件数据结构中。' },
  'data.field.forbidden': { en: 'Field name "{{field}}" is not allowed.', 'zh-CN': '字段名“{{field}}”不允许使用。' },
  'data.required.unknown': { en: 'Required field "{{field}}" is not in the case data schema.', 'zh-CN': '必填字段“{{field}}”不在案件数据结构中。' },
  'sla.duration.invalid': { en: '"{{value}}" is not a time limit Flowpath understands (use e.g. PT4H, P7D or T+1).', 'zh-CN': '“{{value}}”不是有效的时限（示例：PT4H 表示4小时、P7D 表示7天、T+1）。' },
  'sla.warn.invalid': { en: 'Warning point "{{value}}" is not a valid duration.', 'zh-CN': '预警时点“{{value}}”不是有效的时长。' },
  'sla.warn.both': { en: 'Give the warning point either as time before the limit or as a fraction, not both.', 'zh-CN': '预警时点请只设置“提前时长”或“比例”之一。' },
  'milestone.node.missing': { en: 'Milestone refers to "{{node}}", which is not a node of the flow.', 'zh-CN': '里程碑引用的“{{node}}”不是流程中的节点。' },
  'parallel.join.unmatched': { en: 'The paths into this parallel join do not all come from one parallel split, so it would wait forever.', 'zh-CN': '进入此并行汇聚的路径并非来自同一个并行拆分，流程会一直等待。' },
  'parallel.join.branches': { en: 'Each branch of the parallel split must arrive at this join by exactly one connection ({{branches}} branches, {{arrivals}} connections).', 'zh-CN': '并行拆分的每个分支须恰好以一条连线进入此汇聚（分支 {{branches}} 个，连线 {{arrivals}} 条）。' },
  'parallel.split.unmatched': { en: 'The branches of this parallel split meet at an ordinary step, which will then run once per branch. Join them with a parallel join.', 'zh-CN': '并行拆分的分支在普通节点汇合，该节点会按分支数重复执行。请使用并行汇聚。' },
  'form.data.type': { en: 'The submitted form data must be an object.', 'zh-CN': '提交的表单数据格式不正确。' },
  'form.field.unknown': { en: '"{{field}}" is not a field of this form.', 'zh-CN': '“{{field}}”不是此表单的字段。' },
  'form.required': { en: '"{{field}}" is required.', 'zh-CN': '“{{field}}”为必填项。' },
  'form.type': { en: '"{{field}}" must be a {{expected}}.', 'zh-CN': '“{{field}}”的类型应为 {{expected}}。' },
  'form.maxLength': { en: '"{{field}}" may have at most {{limit}} characters.', 'zh-CN': '“{{field}}”最多 {{limit}} 个字符。' },
  'form.pattern': { en: '"{{field}}" is not in the expected format.', 'zh-CN': '“{{field}}”格式不正确。' },
  'form.minimum': { en: '"{{field}}" must be at least {{limit}}.', 'zh-CN': '“{{field}}”不能小于 {{limit}}。' },
  'form.maximum': { en: '"{{field}}" must be at most {{limit}}.', 'zh-CN': '“{{field}}”不能大于 {{limit}}。' },
  'form.enum': { en: '"{{field}}" must be one of the listed options.', 'zh-CN': '“{{field}}”必须是列出的选项之一。' },
  'case.data.invalid': { en: 'The case data does not match the flow\'s data schema.', 'zh-CN': '案件数据不符合流程的数据结构。' },
  'case.missing': { en: 'The case does not exist.', 'zh-CN': '案件不存在。' },
  'case.ended': { en: 'The case has already ended ({{status}}).', 'zh-CN': '案件已结束（{{status}}）。' },
  'task.not-open': { en: 'Task {{taskId}} is not open.', 'zh-CN': '任务 {{taskId}} 不在待办状态。' },
  'task.four-eyes': { en: 'Four-eyes rule: the same person may not complete both steps.', 'zh-CN': '双人复核：同一人不能同时办理两个环节。' },
  'task.data.invalid': { en: 'The form data is not valid.', 'zh-CN': '表单数据校验未通过。' },
  'message.not-awaited': { en: 'The case is not waiting for message "{{name}}".', 'zh-CN': '案件当前没有在等待消息“{{name}}”。' },
  'service.request.unknown': { en: 'No service call {{requestId}} is pending.', 'zh-CN': '没有待处理的系统调用 {{requestId}}。' },
  'incident.not-open': { en: 'Incident {{incidentId}} is not open.', 'zh-CN': '异常 {{incidentId}} 不存在或已处理。' },
  'subflow.request.unknown': { en: 'No sub-flow {{requestId}} is running.', 'zh-CN': '没有运行中的子流程 {{requestId}}。' },
  'schema.required': { en: '"{{missingProperty}}" is required here.', 'zh-CN': '此处缺少必填项“{{missingProperty}}”。' },
  'schema.additionalProperties': { en: '"{{property}}" is not a setting of this element.', 'zh-CN': '“{{property}}”不是此元素的设置项。' },
  'schema.type': { en: 'This value must be of type {{type}}.', 'zh-CN': '此值的类型应为 {{type}}。' },
  'schema.enum': { en: 'This value must be one of: {{allowedValues}}.', 'zh-CN': '此值必须是以下之一：{{allowedValues}}。' },
  'schema.const': { en: 'This value must be {{allowedValue}}.', 'zh-CN': '此值必须为 {{allowedValue}}。' },
  'schema.pattern': { en: 'This value is not in the expected format.', 'zh-CN': '此值格式不正确。' },
  'schema.maxItems': { en: 'At most {{limit}} items are allowed here.', 'zh-CN': '此处最多允许 {{limit}} 项。' },
  'schema.minItems': { en: 'At least {{limit}} item(s) are needed here.', 'zh-CN': '此处至少需要 {{limit}} 项。' },
  'schema.maxLength': { en: 'At most {{limit}} characters are allowed.', 'zh-CN': '最多允许 {{limit}} 个字符。' },
  'schema.minLength': { en: 'This text is too short.', 'zh-CN': '文本过短。' },
  'schema.minimum': { en: 'This value must be at least {{limit}}.', 'zh-CN': '此值不能小于 {{limit}}。' },
  'schema.maximum': { en: 'This value must be at most {{limit}}.', 'zh-CN': '此值不能大于 {{limit}}。' },
  'schema.oneOf': { en: 'This value does not have an allowed form.', 'zh-CN': '此值的形式不被允许。' },
  'schema.other': { en: 'This value is not valid ({{keyword}}).', 'zh-CN': '此值无效（{{keyword}}）。' },
  'data.required': { en: 'Case data is missing "{{missingProperty}}".', 'zh-CN': '案件数据缺少“{{missingProperty}}”。' },
  'data.type': { en: 'This case data value must be of type {{type}}.', 'zh-CN': '此案件数据的类型应为 {{type}}。' },
  'data.enum': { en: 'This case data value must be one of: {{allowedValues}}.', 'zh-CN': '此案件数据必须是以下之一：{{allowedValues}}。' },
  'data.other': { en: 'This case data value is not valid ({{keyword}}).', 'zh-CN': '此案件数据无效（{{keyword}}）。' },
};

/** Every message, keyed by issue code. */
export const issueCatalogue: Catalogue = { ...flowMessages, ...ruleMessages, ...calendarMessages };

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: 'en',
  fallbackLng: 'en',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  resources: {
    en: { translation: Object.fromEntries(Object.entries(issueCatalogue).map(([k, v]) => [k, v.en])) },
    'zh-CN': { translation: Object.fromEntries(Object.entries(issueCatalogue).map(([k, v]) => [k, v['zh-CN']])) },
  },
});

/** The message for an issue in the given language, filled from its params. */
export function formatIssue(issue: Pick<Issue, 'code' | 'params'>, lang: Lang = 'en'): string {
  const params = Object.fromEntries(Object.entries(issue.params ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  let code = issue.code;
  if (!(code in issueCatalogue)) {
    const prefix = code.split('.')[0];
    if (prefix === 'schema' || prefix === 'data') {
      code = `${prefix}.other`;
      params.keyword = issue.code.slice(prefix.length + 1);
    } else {
      return issue.code;
    }
  }
  return i18n.t(code, { ...params, lng: lang });
}
