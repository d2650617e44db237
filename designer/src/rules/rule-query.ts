import { caseFields, same, type CaseSchema, type Rule } from '@flowpath/engine';
import { formatQuery, type Field, type RuleGroupType, type RuleProcessor, type RuleType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import type { Lang } from '../i18n';

/** Operator names of the builder; labels come from the i18n catalogue (`rules.op.*`). */
export type BuilderOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'between'
  | 'notBetween'
  | 'in'
  | 'notIn'
  | 'inList'
  | 'notInList'
  | 'contains'
  | 'null'
  | 'notNull';

/** How a case field behaves in the builder. */
export type FieldKind = 'number' | 'string' | 'enum' | 'date' | 'boolean';

const OPERATORS: Record<FieldKind, readonly BuilderOperator[]> = {
  number: ['=', '!=', '<', '<=', '>', '>=', 'between', 'notBetween', 'in', 'notIn', 'null', 'notNull'],
  string: ['=', '!=', 'in', 'notIn', 'inList', 'notInList', 'contains', 'null', 'notNull'],
  enum: ['=', '!=', 'in', 'notIn', 'null', 'notNull'],
  date: ['=', '!=', '<', '<=', '>', '>=', 'between', 'notBetween', 'null', 'notNull'],
  boolean: ['=', '!=', 'null', 'notNull'],
};

/** A builder field with the case field's kind kept for value conversion. */
export type SchemaField = Field & { kind: FieldKind };

/** Every leaf field of the case schema (dotted paths for nested objects), for the builder. */
export function schemaFields(schema: CaseSchema, lang: Lang, opLabel: (op: BuilderOperator) => string, bool: { yes: string; no: string }): SchemaField[] {
  const out: SchemaField[] = [];
  for (const { path, field } of caseFields(schema)) {
    if (field.type === 'object' || field.type === 'array') continue;
    const kind: FieldKind =
      field.type === 'number' || field.type === 'integer'
        ? 'number'
        : field.type === 'boolean'
          ? 'boolean'
          : field.enum
            ? 'enum'
            : field.format === 'date' || field.format === 'date-time'
              ? 'date'
              : 'string';
    const title = field.title?.[lang];
    const f: SchemaField = {
      name: path,
      value: path,
      label: title ? `${title} (${path})` : path,
      kind,
      operators: OPERATORS[kind].map((op) => ({ name: op, value: op, label: opLabel(op) })),
      ...(kind === 'number' ? { inputType: 'number' } : {}),
      ...(kind === 'date' ? { inputType: field.format === 'date-time' ? 'datetime-local' : 'date' } : {}),
      ...(kind === 'enum' ? { valueEditorType: 'select' as const, values: (field.enum ?? []).map((v) => ({ name: String(v), value: String(v), label: String(v) })) } : {}),
      ...(kind === 'boolean'
        ? {
            valueEditorType: 'select' as const,
            values: [
              { name: 'true', value: 'true', label: bool.yes },
              { name: 'false', value: 'false', label: bool.no },
            ],
            defaultValue: 'true',
          }
        : {}),
    };
    out.push(f);
  }
  return out;
}

const EMPTY: RuleGroupType = { combinator: 'and', rules: [] };

/** An empty query for a rule that has none yet. */
export function emptyQuery(): RuleGroupType {
  return structuredClone(EMPTY);
}

function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return v === undefined || v === null ? [] : [v];
}

/** Builder values are text; the rule gets numbers, booleans and text as the field's kind says. */
function coerce(v: unknown, kind: FieldKind | undefined): unknown {
  if (kind === 'number' && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (kind === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

function makeProcessor(fields: readonly SchemaField[]): RuleProcessor {
  const kinds = new Map(fields.map((f) => [f.name, f.kind]));
  return (rule: RuleType) => {
    const kind = kinds.get(rule.field);
    const v = { var: rule.field };
    const operand = (x: unknown) => (rule.valueSource === 'field' ? { var: String(x) } : coerce(x, kind));
    const not = (r: unknown) => ({ '!': r });
    // A condition still being written (no value yet) is left out rather than written as `== ""`.
    const needsValue = rule.operator !== 'null' && rule.operator !== 'notNull';
    if (needsValue && (rule.value === '' || rule.value === undefined || rule.value === null || (Array.isArray(rule.value) && rule.value.length === 0))) return false;
    if ((rule.operator === 'between' || rule.operator === 'notBetween') && toList(rule.value).filter((x) => x !== '').length < 2) return false;
    switch (rule.operator as BuilderOperator) {
      case '=':
        return { '==': [v, operand(rule.value)] };
      case '!=':
        return { '!=': [v, operand(rule.value)] };
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { [rule.operator]: [v, operand(rule.value)] };
      case 'null':
        return { '==': [v, null] };
      case 'notNull':
        return { '!=': [v, null] };
      case 'in':
        return { in: [v, toList(rule.value).map(operand)] };
      case 'notIn':
        return not({ in: [v, toList(rule.value).map(operand)] });
      case 'between':
      case 'notBetween': {
        const [lo, hi] = toList(rule.value).map(operand);
        const r = { '<=': [lo ?? null, v, hi ?? null] };
        return rule.operator === 'between' ? r : not(r);
      }
      case 'inList':
        return { inList: [String(rule.value ?? ''), v] };
      case 'notInList':
        return not({ inList: [String(rule.value ?? ''), v] });
      case 'contains':
        return { in: [String(rule.value ?? ''), v] };
      default:
        return false;
    }
  };
}

/** Undoes the one-rule group that the builder always wraps around a lone condition. */
function unwrap(rule: unknown): unknown {
  if (rule && typeof rule === 'object' && !Array.isArray(rule)) {
    const entries = Object.entries(rule);
    if (entries.length === 1) {
      const [op, args] = entries[0]!;
      if ((op === 'and' || op === 'or') && Array.isArray(args)) {
        const inner = args.map(unwrap);
        return inner.length === 1 ? inner[0] : { [op]: inner };
      }
      if (op === '!') return { '!': unwrap(args) };
    }
  }
  return rule;
}

/** The json-logic rule a builder query stands for; undefined when the query is empty. */
export function queryToRule(query: RuleGroupType, fields: readonly SchemaField[]): Rule | undefined {
  const out = formatQuery(query, { format: 'jsonlogic', ruleProcessor: makeProcessor(fields), fields: [...fields] });
  if (out === false || out === null || out === undefined) return undefined;
  return unwrap(out);
}

/** Our extra operations turned into pseudo-operations the parser can hand to `jsonLogicOperations`. */
function prepare(rule: unknown): unknown {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return rule;
  const entries = Object.entries(rule);
  if (entries.length !== 1) return rule;
  const [op, args] = entries[0]!;
  if (op === '!' && args && typeof args === 'object' && !Array.isArray(args)) {
    const inner = Object.entries(args);
    if (inner.length === 1 && inner[0]![0] === 'inList') return { notInList: inner[0]![1] };
  }
  if (op === 'and' || op === 'or') return { [op]: Array.isArray(args) ? args.map(prepare) : args };
  if (op === '!') return { '!': prepare(args) };
  return rule;
}

function listOp(operator: 'inList' | 'notInList') {
  return (args: unknown): RuleType | false => {
    if (!Array.isArray(args) || args.length !== 2) return false;
    const [list, v] = args as [unknown, unknown];
    if (typeof list !== 'string' || !v || typeof v !== 'object' || typeof (v as { var?: unknown }).var !== 'string') return false;
    return { field: (v as { var: string }).var, operator, value: list };
  };
}

/** Values shown in the builder are text for booleans (the select's options are "true"/"false"). */
function forDisplay(group: RuleGroupType): RuleGroupType {
  return {
    ...group,
    rules: group.rules.map((r) => {
      if ('rules' in r) return forDisplay(r);
      if (typeof r === 'string') return r;
      return typeof r.value === 'boolean' ? { ...r, value: String(r.value) } : r;
    }),
  };
}

/**
 * The builder query for a rule, or null when the builder cannot show it faithfully (the
 * query would write back a different rule). Then the rule stays editable as JSON only.
 */
export function ruleToQuery(rule: Rule | undefined, fields: readonly SchemaField[]): RuleGroupType | null {
  if (rule === undefined) return emptyQuery();
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return null;
  const parsed = parseJsonLogic(prepare(rule) as Parameters<typeof parseJsonLogic>[0], {
    listsAsArrays: true,
    jsonLogicOperations: { inList: listOp('inList'), notInList: listOp('notInList') },
  });
  const query = forDisplay(parsed);
  const back = queryToRule(query, fields);
  return back !== undefined && same(unwrap(back), unwrap(rule)) ? query : null;
}
