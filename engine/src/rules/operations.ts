/**
 * The operations a Flowpath rule may use: json-logic-js's standard set, minus `log` (it would
 * write case data, personal information included, to the server console), plus Flowpath's
 * extra operations for lists and business time. The designer lists these; validation and
 * evaluation refuse anything else.
 */
import type { LocalizedText } from '../model';

export interface RuleOperationExample {
  rule: unknown;
  data?: unknown;
  now?: string;
  lists?: Record<string, unknown[]>;
  result: unknown;
}

export type RuleOperationCategory = 'data' | 'logic' | 'comparison' | 'arithmetic' | 'array' | 'string' | 'list' | 'time';

export interface RuleOperationInfo {
  name: string;
  category: RuleOperationCategory;
  /** Argument list as shown to analysts. */
  args: string;
  description: LocalizedText;
  /**
   * A worked example: this rule with this data (and, for time and list operations, this step
   * time and these lists) gives this result. A test checks every example.
   */
  example: RuleOperationExample;
  /** True for Flowpath's own operations, which other json-logic engines do not have. */
  extra: boolean;
}

/** Standard operations whose arguments are scoped to each array item (`map`, `filter`, …). */
export const ITEM_SCOPED_OPERATIONS: ReadonlySet<string> = new Set(['map', 'filter', 'all', 'none', 'some']);

const std = (
  name: string,
  category: RuleOperationCategory,
  args: string,
  en: string,
  zh: string,
  example: RuleOperationExample,
): RuleOperationInfo => ({ name, category, args, description: { en, 'zh-CN': zh }, example, extra: false });

const ext = (
  name: string,
  category: RuleOperationCategory,
  args: string,
  en: string,
  zh: string,
  example: RuleOperationExample,
): RuleOperationInfo => ({ name, category, args, description: { en, 'zh-CN': zh }, example, extra: true });

/** Every operation a rule may use, with bilingual descriptions for the rule designer. */
export const ruleOperations: readonly RuleOperationInfo[] = [
  // ---- data ----
  std('var', 'data', '[path, default?]', 'Reads a case field by dotted path (customer.tier); the default when it is absent.', '按点分路径读取案件字段（如 customer.tier），字段不存在时取默认值。', {
    rule: { var: 'customer.tier' },
    data: { customer: { tier: 'gold' } },
    result: 'gold',
  }),
  std('missing', 'data', '[path, …]', 'Lists the given fields that are absent or empty.', '列出给定字段中缺失或为空的字段。', {
    rule: { missing: ['licenceNo', 'legalPerson'] },
    data: { licenceNo: '91310000MA1K' },
    result: ['legalPerson'],
  }),
  std('missing_some', 'data', '[count, [path, …]]', 'Lists missing fields unless at least `count` of them are present.', '除非至少有 count 个字段已填写，否则列出缺失的字段。', {
    rule: { missing_some: [1, ['mobile', 'email']] },
    data: { email: 'a@example.com' },
    result: [],
  }),
  // ---- logic ----
  std('if', 'logic', '[condition, then, …, else]', 'The first branch whose condition holds; else the last value.', '返回第一个条件成立的分支结果，否则返回最后的默认值。', {
    rule: { if: [{ '>=': [{ var: 'amount' }, 1000000] }, 'branch-head', 'teller'] },
    data: { amount: 2000000 },
    result: 'branch-head',
  }),
  std('?:', 'logic', '[condition, then, else]', 'Short form of if with one condition.', 'if 的简写形式（一个条件）。', {
    rule: { '?:': [{ var: 'vip' }, 'priority', 'normal'] },
    data: { vip: true },
    result: 'priority',
  }),
  std('and', 'logic', '[a, b, …]', 'True when every value is truthy (returns the first falsy value).', '所有条件都成立时为真（返回第一个不成立的值）。', {
    rule: { and: [{ var: 'kycPassed' }, { '<': [{ var: 'riskScore' }, 60] }] },
    data: { kycPassed: true, riskScore: 35 },
    result: true,
  }),
  std('or', 'logic', '[a, b, …]', 'True when any value is truthy (returns the first truthy value).', '任一条件成立即为真（返回第一个成立的值）。', {
    rule: { or: [{ var: 'litigation' }, { var: 'overdue' }] },
    data: { litigation: false, overdue: true },
    result: true,
  }),
  std('!', 'logic', '[a]', 'Not: true when the value is falsy (0, "", null, false, []).', '取反：值为假（0、空字符串、null、false、空数组）时为真。', {
    rule: { '!': { var: 'blacklisted' } },
    data: { blacklisted: false },
    result: true,
  }),
  std('!!', 'logic', '[a]', 'True when the value is truthy.', '值为真时返回 true。', {
    rule: { '!!': { var: 'attachments' } },
    data: { attachments: ['licence.pdf'] },
    result: true,
  }),
  // ---- comparison ----
  std('==', 'comparison', '[a, b]', 'Equal, converting types like JavaScript (1 == "1").', '相等（会转换类型，1 与 "1" 相等）。', {
    rule: { '==': [{ var: 'channel' }, 'branch'] },
    data: { channel: 'branch' },
    result: true,
  }),
  std('===', 'comparison', '[a, b]', 'Equal without type conversion.', '严格相等（不转换类型）。', {
    rule: { '===': [{ var: 'tier' }, 'gold'] },
    data: { tier: 'gold' },
    result: true,
  }),
  std('!=', 'comparison', '[a, b]', 'Not equal, converting types.', '不相等（会转换类型）。', {
    rule: { '!=': [{ var: 'status' }, 'closed'] },
    data: { status: 'open' },
    result: true,
  }),
  std('!==', 'comparison', '[a, b]', 'Not equal without type conversion.', '严格不相等（不转换类型）。', {
    rule: { '!==': [{ var: 'count' }, '0'] },
    data: { count: 0 },
    result: true,
  }),
  std('>', 'comparison', '[a, b]', 'Greater than.', '大于。', { rule: { '>': [{ var: 'amount' }, 50000] }, data: { amount: 80000 }, result: true }),
  std('>=', 'comparison', '[a, b]', 'Greater than or equal.', '大于或等于。', { rule: { '>=': [{ var: 'age' }, 18] }, data: { age: 18 }, result: true }),
  std('<', 'comparison', '[a, b] or [a, b, c]', 'Less than; with three values, b strictly between a and c.', '小于；三个参数时表示 b 严格介于 a 与 c 之间。', {
    rule: { '<': [0, { var: 'debtRatio' }, 0.5] },
    data: { debtRatio: 0.42 },
    result: true,
  }),
  std('<=', 'comparison', '[a, b] or [a, b, c]', 'Less than or equal; with three values, b between a and c inclusive.', '小于或等于；三个参数时表示 b 介于 a 与 c 之间（含端点）。', {
    rule: { '<=': [18, { var: 'age' }, 65] },
    data: { age: 65 },
    result: true,
  }),
  std('in', 'comparison', '[value, list or text]', 'True when the value is in the list, or the text contains it.', '值在列表中，或文本包含该值时为真。', {
    rule: { in: [{ var: 'branch' }, ['SH001', 'SH002']] },
    data: { branch: 'SH002' },
    result: true,
  }),
  // ---- arithmetic ----
  std('+', 'arithmetic', '[a, b, …]', 'Sum (text is converted to a number).', '求和（文本会转换为数字）。', { rule: { '+': [{ var: 'salary' }, { var: 'bonus' }] }, data: { salary: 12000, bonus: 3000 }, result: 15000 }),
  std('-', 'arithmetic', '[a, b] or [a]', 'Difference, or the negative of one value.', '相减；一个参数时取相反数。', { rule: { '-': [{ var: 'limit' }, { var: 'used' }] }, data: { limit: 50000, used: 12000 }, result: 38000 }),
  std('*', 'arithmetic', '[a, b, …]', 'Product.', '相乘。', { rule: { '*': [{ var: 'amount' }, 0.003] }, data: { amount: 100000 }, result: 300 }),
  std('/', 'arithmetic', '[a, b]', 'Quotient.', '相除。', { rule: { '/': [{ var: 'monthlyDebt' }, { var: 'monthlyIncome' }] }, data: { monthlyDebt: 6000, monthlyIncome: 15000 }, result: 0.4 }),
  std('%', 'arithmetic', '[a, b]', 'Remainder of a divided by b.', '求余数。', { rule: { '%': [{ var: 'n' }, 2] }, data: { n: 7 }, result: 1 }),
  std('min', 'arithmetic', '[a, b, …]', 'Smallest number.', '最小值。', { rule: { min: [{ var: 'requested' }, 500000] }, data: { requested: 800000 }, result: 500000 }),
  std('max', 'arithmetic', '[a, b, …]', 'Largest number.', '最大值。', { rule: { max: [{ var: 'a' }, { var: 'b' }] }, data: { a: 3, b: 9 }, result: 9 }),
  // ---- array ----
  std('map', 'array', '[list, rule]', 'Applies the rule to every item (inside, var reads the item).', '对列表的每一项执行规则（规则内 var 读取当前项）。', {
    rule: { map: [{ var: 'loans' }, { var: 'balance' }] },
    data: { loans: [{ balance: 100 }, { balance: 250 }] },
    result: [100, 250],
  }),
  std('filter', 'array', '[list, rule]', 'Keeps the items for which the rule holds.', '保留规则成立的项。', {
    rule: { filter: [{ var: 'loans' }, { '>': [{ var: 'overdueDays' }, 90] }] },
    data: { loans: [{ overdueDays: 120 }, { overdueDays: 0 }] },
    result: [{ overdueDays: 120 }],
  }),
  std('reduce', 'array', '[list, rule, initial]', 'Combines the items; inside, var "current" is the item and "accumulator" the running value.', '汇总列表；规则内 current 为当前项，accumulator 为累计值。', {
    rule: { reduce: [{ var: 'loans' }, { '+': [{ var: 'accumulator' }, { var: 'current.balance' }] }, 0] },
    data: { loans: [{ balance: 100 }, { balance: 250 }] },
    result: 350,
  }),
  std('all', 'array', '[list, rule]', 'True when the list is not empty and the rule holds for every item.', '列表非空且每一项都满足规则时为真。', {
    rule: { all: [{ var: 'documents' }, { var: 'verified' }] },
    data: { documents: [{ verified: true }, { verified: true }] },
    result: true,
  }),
  std('some', 'array', '[list, rule]', 'True when the rule holds for at least one item.', '至少一项满足规则时为真。', {
    rule: { some: [{ var: 'accounts' }, { '==': [{ var: 'status' }, 'frozen'] }] },
    data: { accounts: [{ status: 'active' }, { status: 'frozen' }] },
    result: true,
  }),
  std('none', 'array', '[list, rule]', 'True when the rule holds for no item.', '没有任何一项满足规则时为真。', {
    rule: { none: [{ var: 'accounts' }, { '==': [{ var: 'status' }, 'frozen'] }] },
    data: { accounts: [{ status: 'active' }] },
    result: true,
  }),
  std('merge', 'array', '[a, b, …]', 'Joins values and lists into one list.', '把多个值或列表合并为一个列表。', { rule: { merge: [['SH001'], 'BJ002'] }, result: ['SH001', 'BJ002'] }),
  // ---- string ----
  std('cat', 'string', '[a, b, …]', 'Joins values into one text.', '把多个值拼接为文本。', { rule: { cat: ['Case ', { var: 'ref' }] }, data: { ref: 'K-17' }, result: 'Case K-17' }),
  std('substr', 'string', '[text, start, length?]', 'Part of a text; negative numbers count from the end.', '截取文本的一部分；负数表示从末尾起算。', { rule: { substr: [{ var: 'idNo' }, -4] }, data: { idNo: '110101199003071234' }, result: '1234' }),
  // ---- Flowpath extras ----
  ext('inList', 'list', '[listName, value]', 'True when the value is on the named list kept by the bank (whitelist, blacklist, high-risk list). False when no such list is available.', '值在银行维护的指定名单（白名单、黑名单、高风险名单等）中时为真；名单不可用时为假。', {
    rule: { inList: ['sme-whitelist', { var: 'creditCode' }] },
    data: { creditCode: '91310000MA1K' },
    lists: { 'sme-whitelist': ['91310000MA1K'] },
    result: true,
  }),
  ext('now', 'time', '[]', 'The time of the current step (ISO 8601, UTC).', '当前处理步骤的时间（ISO 8601，UTC）。', {
    rule: { now: [] },
    now: '2026-03-02T01:30:00.000Z',
    result: '2026-03-02T01:30:00.000Z',
  }),
  ext('addDuration', 'time', '[time, duration, mode?]', 'The time a duration (PT4H, P7D, T+1) after the given time; mode "working" counts working time only, "calendar" (default) elapsed time.', '给定时间之后经过一段时长（PT4H、P7D、T+1）的时间；mode 为 working 时只计工作时间，默认 calendar 为自然时间。', {
    rule: { addDuration: ['2026-02-13T16:00:00+08:00', 'PT4H', 'working'] },
    result: '2026-02-14T04:00:00.000Z',
  }),
  ext('workingHoursBetween', 'time', '[from, to]', 'Working hours between two times (negative when "to" is earlier).', '两个时间之间的工作小时数（结束早于开始时为负）。', {
    rule: { workingHoursBetween: ['2026-03-06T15:00:00+08:00', '2026-03-09T11:00:00+08:00'] },
    result: 4,
  }),
  ext('workingDaysBetween', 'time', '[from, to]', 'Working days between two times, as a decimal (working time divided by one working day).', '两个时间之间的工作日数（工作时间除以一个工作日的时长，可为小数）。', {
    rule: { workingDaysBetween: ['2026-03-02T09:00:00+08:00', '2026-03-04T13:00:00+08:00'] },
    result: 2.5,
  }),
  ext('hoursBetween', 'time', '[from, to]', 'Elapsed hours between two times (negative when "to" is earlier).', '两个时间之间经过的小时数（自然时间）。', {
    rule: { hoursBetween: ['2026-03-06T15:00:00+08:00', '2026-03-09T11:00:00+08:00'] },
    result: 68,
  }),
  ext('daysBetween', 'time', '[from, to]', 'Elapsed days between two times or dates, as a decimal.', '两个时间或日期之间经过的天数（自然日，可为小数）。', {
    rule: { daysBetween: ['2026-01-01', '2026-03-01'] },
    result: 59,
  }),
  ext('isWorkingDay', 'time', '[date]', 'True when the date (or the date of the time) is a working day of the business calendar.', '日期（或时间所在日期）是工作日历中的工作日时为真。', {
    rule: { isWorkingDay: ['2026-02-14'] },
    result: true,
  }),
  ext('ageInYears', 'time', '[birthDate]', 'Completed years of age at the time of the current step (the birthday counts).', '截至当前步骤时间的周岁年龄（生日当天即满一岁）。', {
    rule: { ageInYears: [{ var: 'birthDate' }] },
    data: { birthDate: '1990-03-07' },
    now: '2026-03-06T02:00:00.000Z',
    result: 35,
  }),
];

/** Names of every operation a rule may use. */
export const ALLOWED_OPERATIONS: ReadonlySet<string> = new Set(ruleOperations.map((o) => o.name));

/** Names of Flowpath's extra operations. */
export const EXTRA_OPERATIONS: ReadonlySet<string> = new Set(ruleOperations.filter((o) => o.extra).map((o) => o.name));
