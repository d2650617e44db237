import type { ValidateFunction } from 'ajv';
import { ajvIssues, createAjv } from './ajv';
import type { CaseField, CaseSchema, Issue } from './model';

const ajv = createAjv();
const cache = new WeakMap<CaseSchema, ValidateFunction>();

/** Flowpath's annotations (bilingual titles, sensitive, dimension, satisfaction) stripped to plain JSON Schema. */
export function toJsonSchema(field: CaseField | CaseSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(field)) {
    if (k === 'title' || k === 'sensitive' || k === 'dimension' || k === 'customerRef' || k === 'satisfaction') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v as Record<string, CaseField>).map(([name, f]) => [name, toJsonSchema(f)]));
    } else if (k === 'items' && v && typeof v === 'object') {
      out.items = toJsonSchema(v as CaseField);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Checks case data against the flow's case schema; paths point into `/data`. */
export function validateCaseData(schema: CaseSchema, data: unknown): Issue[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema));
    cache.set(schema, validate);
  }
  if (validate(data)) return [];
  return ajvIssues(validate.errors, (e) => `data.${e.keyword}`, '/data');
}

/** Looks up a dotted field path in the case schema. */
export function findCaseField(schema: CaseSchema, path: string): CaseField | undefined {
  let props: Record<string, CaseField> | undefined = schema.properties;
  let field: CaseField | undefined;
  for (const seg of path.split('.')) {
    if (field?.type === 'array' && /^\d+$/.test(seg)) {
      field = field.items;
      props = field?.properties;
      continue;
    }
    if (!props || !Object.prototype.hasOwnProperty.call(props, seg)) return undefined;
    field = props[seg];
    props = field?.properties;
  }
  return field;
}

/** Every dotted path of the case schema with its field, depth first. */
export function caseFields(schema: CaseSchema): { path: string; field: CaseField }[] {
  const out: { path: string; field: CaseField }[] = [];
  const walk = (props: Record<string, CaseField>, prefix: string) => {
    for (const [name, f] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.push({ path, field: f });
      if (f.properties) walk(f.properties, path);
    }
  };
  walk(schema.properties, '');
  return out;
}
