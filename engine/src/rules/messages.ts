/** Messages for rule codes (validation issues and evaluation errors), zh-CN and en. */
export const ruleMessages: Record<string, { en: string; 'zh-CN': string }> = {
  'rule.invalid': {
    en: 'This part of the rule is not a valid rule: each operation is written as {"operation": [arguments]}.',
    'zh-CN': '规则的这一部分格式不正确：每个运算应写作 {"运算名": [参数]}。',
  },
  'rule.operation.unknown': {
    en: 'The rule uses the unknown operation "{{operation}}".',
    'zh-CN': '规则使用了未知的运算“{{operation}}”。',
  },
  'rule.depth.exceeded': {
    en: 'The rule is nested {{depth}} levels deep; at most {{limit}} levels are allowed. Split it into simpler conditions.',
    'zh-CN': '规则嵌套了 {{depth}} 层，最多允许 {{limit}} 层。请拆分为更简单的条件。',
  },
  'rule.size.exceeded': {
    en: 'The rule has {{size}} parts; at most {{limit}} are allowed. Split it into several rules.',
    'zh-CN': '规则包含 {{size}} 个组成部分，最多允许 {{limit}} 个。请拆分为多条规则。',
  },
  'rule.var.unknown': {
    en: 'The rule reads the field "{{field}}", which the case data does not declare.',
    'zh-CN': '规则读取的字段“{{field}}”未在案件数据中定义。',
  },
  'rule.var.forbidden': {
    en: 'The field name "{{field}}" is not allowed in a rule.',
    'zh-CN': '规则中不允许使用字段名“{{field}}”。',
  },
  'rule.var.dynamic': {
    en: 'The rule computes the name of the field it reads, so the field cannot be checked before the rule runs.',
    'zh-CN': '规则读取的字段名是计算得出的，运行前无法检查该字段是否存在。',
  },
  'rule.budget.exceeded': {
    en: 'The rule needed more than {{limit}} evaluation steps and was stopped. Check for very large lists or nested map/reduce.',
    'zh-CN': '规则计算超过 {{limit}} 步，已被终止。请检查是否处理了过大的列表或多层嵌套的 map/reduce。',
  },
  'rule.evaluation.failed': {
    en: 'The rule could not be evaluated: {{reason}}',
    'zh-CN': '规则无法计算：{{reason}}',
  },
};
