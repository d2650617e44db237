/**
 * Writes docs/templates/: one bilingual page per process template plus an index, generated from
 * the templates' JSON so the drawings and the rules in words never drift from the flows.
 *
 *   pnpm exec tsx process-templates/generate-docs.ts           write the pages
 *   pnpm exec tsx process-templates/generate-docs.ts --check   exit 1 when a page is stale
 *
 * It reads only JSON (flow.json, about.json, scenarios/*.json, catalogue.json) and deliberately
 * does not import the engine: the pages describe the published format, and this script must keep
 * working while the engine's API moves. It also checks that the templates agree with the
 * catalogue (queues, lists, connectors, messages) and exits 1 when they do not.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Lang = 'zh-CN' | 'en';
interface Text {
  'zh-CN': string;
  en: string;
}
type Escalation = { action: 'reassign'; queue: string } | { action: 'raise-priority'; to: number } | { action: 'notify'; to: string; message?: Text };
interface Sla {
  duration: string;
  mode?: 'calendar' | 'working';
  warnBefore?: string;
  warnAt?: number;
  escalations?: Escalation[];
}
interface CaseField {
  type?: string;
  title?: Text;
  enum?: unknown[];
  format?: string;
  sensitive?: boolean;
  dimension?: boolean;
  customerRef?: boolean;
  properties?: Record<string, CaseField>;
}
interface FormField {
  key: string;
  label: Text;
  type: string;
  required?: boolean;
  readOnly?: boolean;
  options?: { value: string; label: Text }[];
}
interface GateRule {
  id: string;
  name: Text;
  when: unknown;
  action: 'pass' | 'flag' | 'require-step' | 'stop';
  message?: Text;
  outcome?: string;
}
interface FlowNode {
  id: string;
  kind: string;
  name: Text;
  description?: Text;
  outcome?: string;
  queue?: string;
  roles?: string[];
  priority?: number | { rule: unknown };
  form?: { fields: FormField[] };
  sla?: Sla;
  notCompletedBy?: string[];
  connector?: string;
  input?: Record<string, unknown>;
  output?: Record<string, string>;
  retry?: { maxAttempts: number; backoff?: string };
  rules?: GateRule[];
  message?: string;
  timer?: { duration: string; mode?: 'calendar' | 'working' };
  assignments?: { field: string; value: unknown }[];
  flow?: string;
}
interface FlowEdge {
  id: string;
  source: string;
  target: string;
  name?: Text;
  condition?: unknown;
  default?: boolean;
  order?: number;
  port?: 'extra' | 'timeout' | 'error';
}
interface Flow {
  key: string;
  name: Text;
  description?: Text;
  owner?: string;
  calendar?: string;
  caseSchema: { properties: Record<string, CaseField>; required?: string[] };
  priority?: number | { rule: unknown };
  sla?: Sla;
  milestones?: { id: string; name: Text; from?: string; to: string; target?: string }[];
  nodes: FlowNode[];
  edges: FlowEdge[];
}
interface Figure {
  metric: Text;
  before: Text;
  target: Text;
  how: Text;
  source: string;
}
interface About {
  processes: number[];
  figures: Figure[];
}
interface Catalogue {
  sources: Record<string, { title: Text }>;
  queues: Record<string, { label: Text; who: Text }>;
  lists: Record<string, Text>;
  connectors: Record<string, Text>;
  messages: Record<string, Text>;
}
interface Scenario {
  file: string;
  name: string;
  flow: string;
  lists?: Record<string, unknown[]>;
  steps?: Record<string, unknown>[];
  expect: {
    status?: string;
    outcome?: string;
    flags?: string[];
    slaBreached?: string[];
    visits?: Record<string, number>;
    waitingAt?: string[];
    priority?: number;
    taskQueues?: Record<string, string>;
  };
}
interface Template {
  dir: string;
  flow: Flow;
  about: About;
  scenarios: Scenario[];
}

const root = resolve(import.meta.dirname, '..');
const templatesDir = join(root, 'process-templates');
const docsDir = join(root, 'docs', 'templates');
const problems: string[] = [];

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------- words

const t = (lang: Lang, zh: string, en: string): string => (lang === 'zh-CN' ? zh : en);

function fieldAt(flow: Flow, path: string): CaseField | undefined {
  let props: Record<string, CaseField> | undefined = flow.caseSchema.properties;
  let field: CaseField | undefined;
  for (const seg of path.split('.')) {
    field = props?.[seg];
    if (!field) return undefined;
    props = field.properties;
  }
  return field;
}

function fieldName(flow: Flow, path: string, lang: Lang): string {
  const title = fieldAt(flow, path)?.title?.[lang];
  return title ? `${title}` : `\`${path}\``;
}

function formatNumber(n: number, lang: Lang): string {
  if (lang === 'zh-CN' && Math.abs(n) >= 10000 && n % 10000 === 0) return `${(n / 10000).toLocaleString('en-US')}万`;
  return n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function literal(v: unknown, lang: Lang): string {
  if (typeof v === 'string') return `\`${v}\``;
  if (typeof v === 'number') return formatNumber(v, lang);
  if (typeof v === 'boolean') return v ? t(lang, '是', 'true') : t(lang, '否', 'false');
  if (v === null) return t(lang, '空', 'empty');
  if (Array.isArray(v)) return v.map((x) => literal(x, lang)).join(t(lang, '、', ', '));
  return `\`${JSON.stringify(v)}\``;
}

const comparisons: Record<string, string> = { '==': '=', '===': '=', '!=': '≠', '!==': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤' };
const arithmetic: Record<string, string> = { '+': '+', '-': '−', '*': '×', '/': '÷', '%': 'mod' };

/** A json-logic rule as a sentence an analyst can check against the policy it implements. */
function words(rule: unknown, flow: Flow, lang: Lang, nested = false): string {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return literal(rule, lang);
  const [op, raw] = Object.entries(rule as Record<string, unknown>)[0] ?? ['', undefined];
  const args = Array.isArray(raw) ? raw : [raw];
  const w = (r: unknown) => words(r, flow, lang, true);
  const wrap = (s: string) => (nested ? `(${s})` : s);
  switch (op) {
    case 'var': {
      const path = args[0];
      return typeof path === 'string' ? fieldName(flow, path, lang) : literal(path, lang);
    }
    case 'and':
      return wrap(args.map(w).join(t(lang, ' 且 ', ' and ')));
    case 'or':
      return wrap(args.map(w).join(t(lang, ' 或 ', ' or ')));
    case '!': {
      const inner = words(args[0], flow, lang);
      const plain = args[0] === null || typeof args[0] !== 'object' || 'var' in (args[0] as Record<string, unknown>);
      return plain ? t(lang, `并非${inner}`, `not ${inner}`) : t(lang, `并非（${inner}）`, `not (${inner})`);
    }
    case '!!':
      return t(lang, `${w(args[0])}有值`, `${w(args[0])} is set`);
    case 'in':
      if (Array.isArray(args[1])) return t(lang, `${w(args[0])}属于 ${literal(args[1], lang)}`, `${w(args[0])} is one of ${literal(args[1], lang)}`);
      return t(lang, `${w(args[1])}包含 ${w(args[0])}`, `${w(args[1])} contains ${w(args[0])}`);
    case 'inList':
      return t(lang, `${w(args[1])}在名单 \`${String(args[0])}\` 中`, `${w(args[1])} is on list \`${String(args[0])}\``);
    case 'now':
      return t(lang, '当前时间', 'now');
    case 'daysBetween':
      return t(lang, `${w(args[0])}至${w(args[1])}的天数`, `days from ${w(args[0])} to ${w(args[1])}`);
    case 'hoursBetween':
      return t(lang, `${w(args[0])}至${w(args[1])}的小时数`, `hours from ${w(args[0])} to ${w(args[1])}`);
    case 'workingDaysBetween':
      return t(lang, `${w(args[0])}至${w(args[1])}的工作日数`, `working days from ${w(args[0])} to ${w(args[1])}`);
    case 'workingHoursBetween':
      return t(lang, `${w(args[0])}至${w(args[1])}的工作小时数`, `working hours from ${w(args[0])} to ${w(args[1])}`);
    case 'ageInYears':
      return t(lang, `按${w(args[0])}计算的周岁`, `age from ${w(args[0])}`);
    case 'isWorkingDay':
      return t(lang, `${w(args[0])}为工作日`, `${w(args[0])} is a working day`);
    case 'addDuration': {
      const mode = args[2] === 'working';
      return t(lang, `${w(args[0])}之后${durationWords(String(args[1]), mode, lang)}`, `${durationWords(String(args[1]), mode, lang)} after ${w(args[0])}`);
    }
    case 'if': {
      const parts: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        parts.push(t(lang, `${i === 0 ? '如果' : '否则如果'}${w(args[i])}，则为 ${w(args[i + 1])}`, `${i === 0 ? 'if' : 'else if'} ${w(args[i])} then ${w(args[i + 1])}`));
      }
      if (args.length % 2 === 1) parts.push(t(lang, `否则为 ${w(args[args.length - 1])}`, `otherwise ${w(args[args.length - 1])}`));
      return parts.join(t(lang, '；', '; '));
    }
    case 'cat':
      return t(lang, `拼接（${args.map(w).join('，')}）`, `joined text (${args.map(w).join(', ')})`);
    case 'max':
    case 'min':
      return `${op}(${args.map(w).join(', ')})`;
    default:
      if (comparisons[op]) return `${w(args[0])} ${comparisons[op]} ${w(args[1])}`;
      if (arithmetic[op]) return wrap(args.map(w).join(` ${arithmetic[op]} `));
      return `\`${JSON.stringify(rule)}\``;
  }
}

function durationWords(d: string, working: boolean, lang: Lang): string {
  const tPlus = /^T\+(\d+)$/.exec(d);
  if (tPlus) {
    const n = Number(tPlus[1]);
    if (n === 0) return t(lang, 'T+0（当日营业终了）', 'T+0 (close of business today)');
    if (n === 1) return t(lang, 'T+1（下一个工作日营业终了）', 'T+1 (close of business on the next working day)');
    return t(lang, `T+${n}（第${n}个工作日营业终了）`, `T+${n} (close of business on the ${n}th working day)`);
  }
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(d);
  if (!m) return `\`${d}\``;
  const [, weeks, days, hours, minutes, seconds] = m.map((x) => (x === undefined ? 0 : Number(x)));
  const parts: string[] = [];
  const unit = (n: number | undefined, zh: string, zhWork: string, en: string, enWork: string) => {
    if (!n) return;
    parts.push(lang === 'zh-CN' ? `${n}${working ? zhWork : zh}` : `${n} ${working ? enWork : en}${n === 1 ? '' : 's'}`);
  };
  unit(weeks, '周', '周（工作时间）', 'week', 'working week');
  unit(days, '天', '个工作日', 'day', 'working day');
  unit(hours, '小时', '个工作小时', 'hour', 'working hour');
  unit(minutes, '分钟', '分钟（工作时间）', 'minute', 'working minute');
  unit(seconds, '秒', '秒', 'second', 'second');
  return parts.join(lang === 'zh-CN' ? '' : ' ');
}

function slaWords(sla: Sla, cat: Catalogue, lang: Lang): string {
  const working = sla.mode === 'working';
  let s = durationWords(sla.duration, working, lang);
  if (sla.warnBefore) s += t(lang, `；到期前${durationWords(sla.warnBefore, working, lang)}预警`, `; warning ${durationWords(sla.warnBefore, working, lang)} before`);
  if (sla.warnAt !== undefined) s += t(lang, `；用时达到${Math.round(sla.warnAt * 100)}%时预警`, `; warning at ${Math.round(sla.warnAt * 100)}% of the limit`);
  const esc = (sla.escalations ?? []).map((e) => {
    if (e.action === 'reassign') return t(lang, `转至${queueName(e.queue, cat, lang)}`, `move to ${queueName(e.queue, cat, lang)}`);
    if (e.action === 'raise-priority') return t(lang, `优先级提升至${e.to}`, `raise priority to ${e.to}`);
    const msg = e.message ? t(lang, `（“${e.message['zh-CN']}”）`, ` ("${e.message.en}")`) : '';
    return t(lang, `通知${queueName(e.to, cat, lang)}${msg}`, `notify ${queueName(e.to, cat, lang)}${msg}`);
  });
  if (esc.length) s += t(lang, `；超时后：${esc.join('，')}`, `; when breached: ${esc.join(', ')}`);
  return s;
}

function queueName(q: string, cat: Catalogue, lang: Lang): string {
  const label = cat.queues[q]?.label[lang];
  return label ? `${label} (\`${q}\`)` : `\`${q}\``;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

// ---------------------------------------------------------------- mermaid

const kindLabel: Record<string, Text> = {
  start: { 'zh-CN': '开始', en: 'start' },
  end: { 'zh-CN': '结束', en: 'end' },
  'user-task': { 'zh-CN': '人工任务', en: 'user task' },
  'service-task': { 'zh-CN': '系统调用', en: 'service task' },
  'compliance-gate': { 'zh-CN': '合规关卡', en: 'compliance gate' },
  decision: { 'zh-CN': '判断', en: 'decision' },
  'parallel-split': { 'zh-CN': '并行拆分', en: 'parallel split' },
  'parallel-join': { 'zh-CN': '并行汇合', en: 'parallel join' },
  wait: { 'zh-CN': '等待', en: 'wait' },
  'set-data': { 'zh-CN': '数据赋值', en: 'set data' },
  'sub-flow': { 'zh-CN': '子流程', en: 'sub-flow' },
};

const portLabel: Record<string, Text> = {
  extra: { 'zh-CN': '需额外步骤', en: 'extra step' },
  timeout: { 'zh-CN': '超时', en: 'timed out' },
  error: { 'zh-CN': '调用失败', en: 'failed' },
};

function mermaid(flow: Flow, lang: Lang): string {
  const ids = new Map(flow.nodes.map((n, i) => [n.id, `n${i}`]));
  const q = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  const classes = new Map<string, string[]>();
  for (const n of flow.nodes) {
    const id = ids.get(n.id) as string;
    let label = n.name[lang];
    if (n.kind === 'user-task' && n.sla) label += `<br/>⏱ ${durationWords(n.sla.duration, n.sla.mode === 'working', lang)}`;
    if (n.kind === 'wait' && n.message) label += `<br/>✉ ${n.message}`;
    if (n.kind === 'wait' && n.timer) label += `<br/>⏲ ${durationWords(n.timer.duration, n.timer.mode === 'working', lang)}`;
    if (n.kind === 'service-task' && n.connector) label += `<br/>⚙ ${n.connector}`;
    if (n.kind === 'sub-flow' && n.flow) label += `<br/>↪ ${n.flow}`;
    const text = q(label);
    const shape: Record<string, string> = {
      start: `((${text}))`,
      end: `([${text}])`,
      'user-task': `(${text})`,
      'service-task': `[[${text}]]`,
      'compliance-gate': `{{${text}}}`,
      decision: `{${text}}`,
      'parallel-split': `[/${text}\\]`,
      'parallel-join': `[\\${text}/]`,
      wait: `>${text}]`,
      'set-data': `[/${text}/]`,
      'sub-flow': `[[${text}]]`,
    };
    lines.push(`  ${id}${shape[n.kind] ?? `[${text}]`}`);
    const cls = n.kind === 'end' ? (['rejected', 'terminated', 'blocked', 'expired', 'withdrawn', 'abandoned'].includes(n.outcome ?? '') ? 'endBad' : 'endGood') : n.kind.replace(/-/g, '');
    classes.set(cls, [...(classes.get(cls) ?? []), id]);
  }
  for (const e of flow.edges) {
    const from = ids.get(e.source);
    const to = ids.get(e.target);
    if (!from || !to) continue;
    const label = e.name?.[lang] ?? (e.port ? portLabel[e.port]?.[lang] : e.default ? t(lang, '否则', 'otherwise') : undefined);
    const arrow = e.port ? '-.->' : '-->';
    lines.push(`  ${from} ${arrow}${label ? `|${q(label)}|` : ''} ${to}`);
  }
  const styles: Record<string, string> = {
    start: 'fill:#e8f5e9,stroke:#2e7d32',
    endGood: 'fill:#e8f5e9,stroke:#2e7d32',
    endBad: 'fill:#fdecea,stroke:#c62828',
    usertask: 'fill:#e3f2fd,stroke:#1565c0',
    servicetask: 'fill:#f3e5f5,stroke:#6a1b9a',
    compliancegate: 'fill:#fff3e0,stroke:#e65100',
    decision: 'fill:#fffde7,stroke:#f9a825',
    parallelsplit: 'fill:#eceff1,stroke:#455a64',
    paralleljoin: 'fill:#eceff1,stroke:#455a64',
    wait: 'fill:#e0f7fa,stroke:#00838f',
    setdata: 'fill:#f1f8e9,stroke:#558b2f',
    subflow: 'fill:#f3e5f5,stroke:#6a1b9a',
  };
  for (const [cls, members] of classes) {
    if (styles[cls]) lines.push(`  classDef ${cls} ${styles[cls]}`);
    lines.push(`  class ${members.join(',')} ${cls}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- page

function page(tp: Template, cat: Catalogue, lang: Lang): string {
  const { flow, about, scenarios } = tp;
  const node = (id: string) => flow.nodes.find((n) => n.id === id);
  const nodeName = (id: string) => node(id)?.name[lang] ?? id;
  const out: string[] = [];
  const h = (level: number, s: string) => out.push('', `${'#'.repeat(level)} ${s}`, '');

  h(2, t(lang, '用途', 'What it is for'));
  out.push(flow.description?.[lang] ?? '');
  if (about.processes.length) {
    out.push('', t(lang, `对应 DOMAIN.md 中的流程 ${about.processes.join('、')}。流程负责部门：\`${flow.owner ?? '-'}\`。`, `Process ${about.processes.join(', ')} of DOMAIN.md. Owner: \`${flow.owner ?? '-'}\`.`));
  } else {
    out.push('', t(lang, `支撑文档实施计划中的“流程优化反馈平台”与季度流程健康度评估。流程负责部门：\`${flow.owner ?? '-'}\`。`, `Supports the "process feedback platform" and quarterly process-health assessment of the documents' implementation plans. Owner: \`${flow.owner ?? '-'}\`.`));
  }

  h(2, t(lang, '要改善的指标', 'Figures it is meant to improve'));
  out.push(t(lang, '| 指标 | 现状 | 目标 | 本流程如何做到 | 出处 |', '| Figure | Before | Target | How this flow gets there | Source |'), '|---|---|---|---|---|');
  for (const f of about.figures) {
    const src = cat.sources[f.source]?.title[lang] ?? f.source;
    out.push(`| ${cell(f.metric[lang])} | ${cell(f.before[lang])} | ${cell(f.target[lang])} | ${cell(f.how[lang])} | ${cell(`《${src}》`)} |`);
  }

  h(2, t(lang, '流程图', 'The flow'));
  out.push(t(lang, '由 `flow.json` 自动生成。虚线为特殊出口（合规关卡的额外步骤、等待超时、调用失败）。', 'Generated from `flow.json`. Dotted arrows are special exits (a gate\'s extra step, a wait\'s timeout, a failed call).'));
  out.push('', '```mermaid', mermaid(flow, lang), '```');

  h(2, t(lang, '优先级与时限', 'Priority and time limits'));
  const prio = flow.priority === undefined ? '50' : typeof flow.priority === 'number' ? String(flow.priority) : words(flow.priority.rule, flow, lang);
  out.push(t(lang, `- **案件优先级**（0–100，数值越大越先处理；普通请求为50）：${prio}。`, `- **Case priority** (0–100, higher first; ordinary requests are 50): ${prio}.`));
  out.push(t(lang, `- **工作日历**：\`${flow.calendar ?? 'cn-mainland'}\`（中国大陆工作日，9:00–17:00，含法定节假日与调休）。`, `- **Business calendar**: \`${flow.calendar ?? 'cn-mainland'}\` (mainland China working days, 9:00–17:00, public holidays and make-up days).`));
  if (flow.sla) out.push(t(lang, `- **整个案件时限**：${slaWords(flow.sla, cat, lang)}。`, `- **Whole-case limit**: ${slaWords(flow.sla, cat, lang)}.`));
  for (const n of flow.nodes) {
    if (!n.sla) continue;
    out.push(t(lang, `- **${n.name[lang]}**：${slaWords(n.sla, cat, lang)}。`, `- **${n.name[lang]}**: ${slaWords(n.sla, cat, lang)}.`));
  }
  if (flow.milestones?.length) {
    out.push('', t(lang, '流程健康度里程碑（从案件开始或某步骤完成，到某步骤完成）：', 'Process-health milestones (from case start or a step\'s completion to a step\'s completion):'), '');
    for (const m of flow.milestones) {
      const from = m.from ? nodeName(m.from) : t(lang, '案件开始', 'case start');
      const target = m.target ? t(lang, `，目标 \`${m.target}\``, `, target \`${m.target}\``) : '';
      out.push(`- **${m.name[lang]}**: ${from} → ${nodeName(m.to)}${target}`);
    }
  }

  h(2, t(lang, '步骤', 'Steps'));
  out.push(t(lang, '| 步骤 | 类型 | 由谁/哪个系统 | 说明 |', '| Step | Kind | Who or which system | What happens |'), '|---|---|---|---|');
  for (const n of flow.nodes) {
    let who = '';
    let what = '';
    if (n.kind === 'user-task') {
      who = queueName(n.queue ?? '', cat, lang);
      const fields = (n.form?.fields ?? []).filter((f) => !f.readOnly).map((f) => `${f.label[lang]}${f.required ? '*' : ''}`);
      what = t(lang, `填写：${fields.join('、')}`, `Records: ${fields.join(', ')}`);
      if (n.notCompletedBy?.length) what += t(lang, `；不得由完成“${n.notCompletedBy.map(nodeName).join('、')}”的同一人办理（双人复核）`, `; not by whoever did "${n.notCompletedBy.map(nodeName).join(', ')}" (four eyes)`);
      if (n.priority !== undefined) what += t(lang, `；任务优先级：${typeof n.priority === 'number' ? n.priority : words(n.priority.rule, flow, lang)}`, `; task priority: ${typeof n.priority === 'number' ? n.priority : words(n.priority.rule, flow, lang)}`);
    } else if (n.kind === 'service-task') {
      who = `\`${n.connector ?? ''}\``;
      const op = n.input?.operation ?? n.input?.target ?? n.input?.event;
      const outputs = Object.keys(n.output ?? {}).map((k) => fieldName(flow, k, lang));
      what = [op !== undefined ? `${t(lang, '调用', 'call')} ${typeof op === 'string' ? `\`${op}\`` : words(op, flow, lang)}` : '', outputs.length ? t(lang, `写回：${outputs.join('、')}`, `writes back: ${outputs.join(', ')}`) : '']
        .filter(Boolean)
        .join(t(lang, '；', '; '));
      if (n.retry) what += t(lang, `；失败最多尝试${n.retry.maxAttempts}次`, `; up to ${n.retry.maxAttempts} attempts`);
      const err = flow.edges.find((e) => e.source === n.id && e.port === 'error');
      if (err) what += t(lang, `；仍失败时转“${nodeName(err.target)}”`, `; if it still fails, go to "${nodeName(err.target)}"`);
    } else if (n.kind === 'wait') {
      who = n.message ? `\`${n.message}\`` : t(lang, '定时器', 'timer');
      what = n.message ? (cat.messages[n.message]?.[lang] ?? '') : t(lang, `等待${durationWords(n.timer?.duration ?? '', n.timer?.mode === 'working', lang)}`, `waits ${durationWords(n.timer?.duration ?? '', n.timer?.mode === 'working', lang)}`);
      const to = flow.edges.find((e) => e.source === n.id && e.port === 'timeout');
      if (n.sla) what += t(lang, `；时限${durationWords(n.sla.duration, n.sla.mode === 'working', lang)}`, `; limit ${durationWords(n.sla.duration, n.sla.mode === 'working', lang)}`);
      if (to) what += t(lang, `，超时转“${nodeName(to.target)}”`, `, then "${nodeName(to.target)}"`);
    } else if (n.kind === 'sub-flow') {
      who = `[\`${n.flow ?? ''}\`](${n.flow ?? ''}.md)`;
      const outputs = Object.keys(n.output ?? {}).map((k) => fieldName(flow, k, lang));
      what = t(lang, `发起子流程并等待其办结${outputs.length ? `；带回：${outputs.join('、')}` : ''}`, `starts that flow and waits until it ends${outputs.length ? `; brings back: ${outputs.join(', ')}` : ''}`);
    } else if (n.kind === 'set-data') {
      what = (n.assignments ?? []).map((a) => `${fieldName(flow, a.field, lang)} ← ${words(a.value, flow, lang)}`).join(t(lang, '；', '; '));
    } else if (n.kind === 'end') {
      what = t(lang, `结果 \`${n.outcome ?? ''}\``, `outcome \`${n.outcome ?? ''}\``);
    } else if (n.kind === 'compliance-gate') {
      what = t(lang, `${n.rules?.length ?? 0}条规则，见下文`, `${n.rules?.length ?? 0} rules, see below`);
    } else if (n.kind === 'decision') {
      what = t(lang, '见下文', 'see below');
    }
    out.push(`| ${cell(n.name[lang])} | ${kindLabel[n.kind]?.[lang] ?? n.kind} | ${cell(who)} | ${cell(what)} |`);
  }

  const gates = flow.nodes.filter((n) => n.kind === 'compliance-gate');
  if (gates.length) {
    h(2, t(lang, '合规关卡规则', 'Compliance gate rules'));
    out.push(t(lang,
      '关卡逐条评估全部规则并记录所读取的数据：**拦截**立即终止案件并发出合规预警；**额外步骤**使案件先经过关卡的额外出口；**标记**不改变路径，提示后续审核人员。无法评估的规则按触发处理（从严）。',
      'A gate evaluates every rule and records the data it read: **stop** ends the case at once with a compliance alert; **extra step** sends the case through the gate\'s extra exit first; **flag** does not change the path but is shown to later reviewers. A rule that cannot be evaluated counts as fired (fail closed).'));
    const action: Record<string, Text> = {
      stop: { 'zh-CN': '拦截', en: 'stop' },
      'require-step': { 'zh-CN': '额外步骤', en: 'extra step' },
      flag: { 'zh-CN': '标记', en: 'flag' },
      pass: { 'zh-CN': '放行', en: 'pass' },
    };
    for (const g of gates) {
      const extra = flow.edges.find((e) => e.source === g.id && e.port === 'extra');
      h(3, g.name[lang]);
      if (extra) out.push(t(lang, `额外出口通往“${nodeName(extra.target)}”。`, `The extra exit leads to "${nodeName(extra.target)}".`), '');
      out.push(t(lang, '| 规则 | 触发条件 | 动作 | 提示/预警 |', '| Rule | Fires when | Action | Message |'), '|---|---|---|---|');
      for (const r of g.rules ?? []) {
        const act = `${action[r.action]?.[lang] ?? r.action}${r.action === 'stop' ? ` → \`${r.outcome ?? 'terminated'}\`` : ''}`;
        out.push(`| ${cell(`${r.name[lang]} (\`${r.id}\`)`)} | ${cell(words(r.when, flow, lang))} | ${act} | ${cell(r.message?.[lang] ?? '')} |`);
      }
    }
  }

  const decisions = flow.nodes.filter((n) => n.kind === 'decision');
  if (decisions.length) {
    h(2, t(lang, '判断条件', 'Decisions'));
    out.push(t(lang, '按顺序评估条件，第一个成立的条件决定去向；都不成立时走默认出口。', 'Conditions are tried in order; the first that holds decides; otherwise the default exit is taken.'));
    for (const d of decisions) {
      h(3, d.name[lang]);
      out.push(t(lang, '| 去向 | 条件 |', '| Goes to | When |'), '|---|---|');
      const edges = flow.edges
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.source === d.id)
        .sort((a, b) => Number(a.e.default ?? false) - Number(b.e.default ?? false) || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i);
      for (const { e } of edges) {
        const when = e.default ? t(lang, '默认（以上都不成立）', 'default (none of the above)') : words(e.condition, flow, lang);
        out.push(`| ${cell(`${nodeName(e.target)}${e.name ? ` — ${e.name[lang]}` : ''}`)} | ${cell(when)} |`);
      }
    }
  }

  h(2, t(lang, '案件数据', 'Case data'));
  out.push(t(lang, '标记：🔒 个人敏感信息（按角色脱敏，《个人信息保护法》）；📊 流程健康度统计维度；🔎 客户检索字段。', 'Marks: 🔒 sensitive personal information (masked by role, PIPL); 📊 dimension for process-health figures; 🔎 customer reference.'));
  out.push('', t(lang, '| 字段 | 名称 | 类型 | 标记 |', '| Field | Title | Type | Marks |'), '|---|---|---|---|');
  const required = new Set(flow.caseSchema.required ?? []);
  const walk = (props: Record<string, CaseField>, prefix: string) => {
    for (const [k, f] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${k}` : k;
      const base = f.type ?? t(lang, '任意（文件引用或字段）', 'any (file reference or fields)');
      const type = f.enum ? `${base}: ${f.enum.map((x) => `\`${String(x)}\``).join(' ')}` : `${base}${f.format ? ` (${f.format})` : ''}`;
      const marks = `${f.sensitive ? '🔒' : ''}${f.dimension ? '📊' : ''}${f.customerRef ? '🔎' : ''}${required.has(path) ? t(lang, ' 必填', ' required') : ''}`;
      out.push(`| \`${path}\` | ${cell(f.title?.[lang] ?? '')} | ${cell(type)} | ${marks} |`);
      if (f.properties) walk(f.properties, path);
    }
  };
  walk(flow.caseSchema.properties, '');

  h(2, t(lang, '测试场景', 'Scenarios'));
  out.push(t(lang,
    `以下场景随测试套件通过引擎运行（\`pnpm flowpath test process-templates/${flow.key}/scenarios/*.json\`）。`,
    `These scenarios run through the engine in the test suite (\`pnpm flowpath test process-templates/${flow.key}/scenarios/*.json\`).`));
  out.push('', t(lang, '| 场景 | 预期 |', '| Scenario | Expected |'), '|---|---|');
  for (const s of scenarios) {
    const [zh, en] = s.name.split(' / ');
    const name = lang === 'zh-CN' ? zh ?? s.name : en ?? s.name;
    const e = s.expect;
    const parts = [`${e.status ?? ''}${e.outcome ? ` / \`${e.outcome}\`` : ''}`];
    if (e.waitingAt?.length) parts.push(t(lang, `停在 ${e.waitingAt.map(nodeName).join('、')}`, `waiting at ${e.waitingAt.map(nodeName).join(', ')}`));
    if (e.flags?.length) parts.push(t(lang, `标记 ${e.flags.map((x) => `\`${x}\``).join(' ')}`, `flags ${e.flags.map((x) => `\`${x}\``).join(' ')}`));
    if (e.slaBreached?.length) parts.push(t(lang, `超时 ${e.slaBreached.map((x) => (x === 'case' ? '整个案件' : nodeName(x))).join('、')}`, `breached ${e.slaBreached.map((x) => (x === 'case' ? 'whole case' : nodeName(x))).join(', ')}`));
    if (e.visits) parts.push(t(lang, `返工 ${Object.entries(e.visits).map(([k, n]) => `${nodeName(k)}×${n}`).join('、')}`, `rework ${Object.entries(e.visits).map(([k, n]) => `${nodeName(k)}×${n}`).join(', ')}`));
    if (e.priority !== undefined) parts.push(t(lang, `优先级 ${e.priority}`, `priority ${e.priority}`));
    if (e.taskQueues) parts.push(Object.entries(e.taskQueues).map(([k, qn]) => t(lang, `${nodeName(k)}转至 \`${qn}\``, `${nodeName(k)} moved to \`${qn}\``)).join(', '));
    out.push(`| [${cell(name)}](../../process-templates/${flow.key}/scenarios/${s.file}) | ${cell(parts.join(t(lang, '；', '; ')))} |`);
  }
  return out.join('\n');
}

function fullPage(tp: Template, cat: Catalogue): string {
  const { flow } = tp;
  return [
    `<!-- Generated by process-templates/generate-docs.ts from process-templates/${flow.key}/. Do not edit by hand. -->`,
    `# ${flow.name['zh-CN']} / ${flow.name.en}`,
    '',
    `\`${flow.key}\` · [flow.json](../../process-templates/${flow.key}/flow.json) · [中文](#中文) · [English](#english)`,
    '',
    '# 中文',
    page(tp, cat, 'zh-CN'),
    '',
    '# English',
    page(tp, cat, 'en'),
    '',
  ].join('\n');
}

function indexPage(templates: Template[], cat: Catalogue): string {
  const out = [
    '<!-- Generated by process-templates/generate-docs.ts. Do not edit by hand. -->',
    '# 流程模板 / Process templates',
    '',
    '银行开箱即用、可按需调整的流程模板，每个模板附带测试场景。/ Flows a bank can publish on day one and adapt, each with test scenarios.',
    '',
    '| 模板 / Template | DOMAIN.md | 节点 / Nodes | 场景 / Scenarios | 主要指标 / Main figure |',
    '|---|---|---|---|---|',
  ];
  for (const tp of templates) {
    const f = tp.about.figures[0];
    const figure = f ? `${f.metric['zh-CN']}：${f.before['zh-CN']} → ${f.target['zh-CN']}<br/>${f.metric.en}: ${f.before.en} → ${f.target.en}` : '';
    out.push(`| [${tp.flow.name['zh-CN']}<br/>${tp.flow.name.en}](${tp.flow.key}.md) | ${tp.about.processes.join(', ') || '—'} | ${tp.flow.nodes.length} | ${tp.scenarios.length} | ${cell(figure)} |`);
  }
  out.push('', '## 来源文档 / Source documents', '');
  for (const [id, s] of Object.entries(cat.sources)) out.push(`- ${id}: 《${s.title['zh-CN']}》 / ${s.title.en}`);
  out.push('', '重新生成 / Regenerate: `pnpm exec tsx process-templates/generate-docs.ts` (`--check` fails when a page is stale).', '');
  return out.join('\n');
}

// ---------------------------------------------------------------- consistency

function collectLists(rule: unknown, out: Set<string>): void {
  if (Array.isArray(rule)) rule.forEach((r) => collectLists(r, out));
  else if (rule !== null && typeof rule === 'object') {
    for (const [op, arg] of Object.entries(rule as Record<string, unknown>)) {
      if (op === 'inList' && Array.isArray(arg) && typeof arg[0] === 'string') out.add(arg[0]);
      collectLists(arg, out);
    }
  }
}

function check(tp: Template, cat: Catalogue, all: Map<string, Flow>): void {
  const { flow } = tp;
  const where = `process-templates/${tp.dir}`;
  const p = (m: string) => problems.push(`${where}: ${m}`);
  if (flow.key !== tp.dir) p(`key "${flow.key}" differs from the folder name`);
  const ids = new Set<string>();
  for (const n of flow.nodes) {
    if (ids.has(n.id)) p(`duplicate node id ${n.id}`);
    ids.add(n.id);
    if (n.queue && !cat.queues[n.queue]) p(`node ${n.id}: queue ${n.queue} is not in catalogue.json`);
    if (n.connector && !cat.connectors[n.connector]) p(`node ${n.id}: connector ${n.connector} is not in catalogue.json`);
    if (n.message && !cat.messages[n.message]) p(`node ${n.id}: message ${n.message} is not in catalogue.json`);
    if (n.kind === 'sub-flow' && !all.has(n.flow ?? '')) p(`node ${n.id}: sub-flow ${n.flow ?? ''} is not a template`);
    for (const sla of [n.sla, flow.sla]) {
      for (const e of sla?.escalations ?? []) {
        const q = e.action === 'reassign' ? e.queue : e.action === 'notify' ? e.to : undefined;
        if (q !== undefined && !cat.queues[q]) p(`node ${n.id}: escalation target ${q} is not in catalogue.json`);
      }
    }
  }
  for (const e of flow.edges) if (!ids.has(e.source) || !ids.has(e.target)) p(`edge ${e.id} points at a missing node`);
  const lists = new Set<string>();
  collectLists(flow, lists);
  for (const l of lists) if (!cat.lists[l]) p(`list ${l} is not in catalogue.json`);
  for (const f of tp.about.figures) if (!cat.sources[f.source]) p(`about.json: unknown source ${f.source}`);
  // Scenario steps may also work the tasks of a sub-flow the case started.
  const nodeIds = new Set(ids);
  for (const n of flow.nodes) if (n.kind === 'sub-flow') for (const c of all.get(n.flow ?? '')?.nodes ?? []) nodeIds.add(c.id);
  for (const s of tp.scenarios) {
    const sp = (m: string) => p(`scenarios/${s.file}: ${m}`);
    if (s.flow !== '../flow.json') sp('flow must be "../flow.json"');
    if (!s.name || !s.expect) sp('name and expect are required');
    for (const l of Object.keys(s.lists ?? {})) if (!cat.lists[l]) sp(`list ${l} is not in catalogue.json`);
    for (const step of s.steps ?? []) {
      for (const k of ['complete', 'serviceResult', 'serviceError'] as const) {
        const id = step[k];
        if (typeof id === 'string' && !nodeIds.has(id)) sp(`step ${k} names unknown node ${id}`);
      }
    }
    for (const id of [...(s.expect.waitingAt ?? []), ...Object.keys(s.expect.visits ?? {})]) if (!ids.has(id)) sp(`expect names unknown node ${id}`);
  }
}

// ---------------------------------------------------------------- main

function main(): void {
  const cat = readJson<Catalogue>(join(templatesDir, 'catalogue.json'));
  const templates: Template[] = readdirSync(templatesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(templatesDir, d.name, 'flow.json')))
    .map((d) => d.name)
    .sort()
    .map((dir) => {
      const base = join(templatesDir, dir);
      const scenarioDir = join(base, 'scenarios');
      const scenarios = existsSync(scenarioDir)
        ? readdirSync(scenarioDir)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((file) => ({ ...readJson<Omit<Scenario, 'file'>>(join(scenarioDir, file)), file }))
        : [];
      if (!existsSync(join(base, 'about.json'))) problems.push(`process-templates/${dir}: about.json is missing`);
      const about = existsSync(join(base, 'about.json')) ? readJson<About>(join(base, 'about.json')) : { processes: [], figures: [] };
      return { dir, flow: readJson<Flow>(join(base, 'flow.json')), about, scenarios };
    });
  const all = new Map(templates.map((tp) => [tp.flow.key, tp.flow]));
  for (const tp of templates) check(tp, cat, all);

  const files = new Map<string, string>();
  for (const tp of templates) files.set(join(docsDir, `${tp.flow.key}.md`), fullPage(tp, cat));
  files.set(join(docsDir, 'README.md'), indexPage(templates, cat));

  if (process.argv.includes('--check')) {
    for (const [path, content] of files) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) problems.push(`${path.slice(root.length + 1)} is stale: run pnpm exec tsx process-templates/generate-docs.ts`);
    }
  } else {
    mkdirSync(docsDir, { recursive: true });
    for (const [path, content] of files) writeFileSync(path, content);
    console.log(`wrote ${files.size} pages to docs/templates/ from ${templates.length} templates`);
  }
  if (problems.length) {
    for (const m of problems) console.error(m);
    process.exitCode = 1;
  }
}

main();
