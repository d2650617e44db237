/**
 * A user task's form fields (the engine's FormField[]) as the JSON Schema and uiSchema that
 * react-jsonschema-form renders, plus the way back: the data to submit, and validation errors
 * (ajv's in the browser, the server's 422) as messages on their fields in the UI language.
 *
 * The schema states the same limits as the engine's `validateTaskData`, so what the browser
 * lets through the server accepts, and messages come from the engine's catalogue so both
 * sides word them alike.
 */
import { formatIssue, getPath, type FormField, type LocalizedText } from '@flowpath/engine';
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import type { Lang } from '../../i18n';

/** The form data of a task: values by field key. */
export type FormValues = Record<string, unknown>;

export interface TaskFormSchema {
  schema: RJSFSchema;
  uiSchema: UiSchema;
}

/** Text in `lang`, falling back to the other language, then to `fallback`. */
export function localized(text: LocalizedText | undefined, lang: Lang, fallback: string): string {
  return text?.[lang] || text?.[lang === 'en' ? 'zh-CN' : 'en'] || fallback;
}

/** JSON Schema of one field's value. */
function fieldSchema(f: FormField, lang: Lang): RJSFSchema {
  const title = localized(f.label, lang, f.key);
  const base: RJSFSchema = { title, ...(f.readOnly ? { readOnly: true } : {}) };
  switch (f.type) {
    case 'string':
    case 'text':
      return { ...base, type: 'string', ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}), ...(f.pattern !== undefined ? { pattern: f.pattern } : {}) };
    case 'number':
    case 'integer':
      return { ...base, type: f.type, ...(f.minimum !== undefined ? { minimum: f.minimum } : {}), ...(f.maximum !== undefined ? { maximum: f.maximum } : {}) };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'enum': {
      const options = f.options ?? [];
      // oneOf with const + title: the value stays the code, the label follows the language.
      return options.length > 0 ? { ...base, type: 'string', oneOf: options.map((o) => ({ const: o.value, title: localized(o.label, lang, o.value) })) } : { ...base, type: 'string' };
    }
  }
}

/** Widget choices a schema alone cannot express. */
function fieldUi(f: FormField): UiSchema {
  const ui: UiSchema = {};
  if (f.readOnly) ui['ui:readonly'] = true;
  if (f.type === 'text') ui['ui:widget'] = 'textarea';
  // Yes/No radios rather than a checkbox, so "no" is an answer and not an unanswered box.
  if (f.type === 'boolean') ui['ui:widget'] = 'radio';
  if (f.type === 'enum' && (f.options?.length ?? 0) <= 4) ui['ui:widget'] = 'radio';
  return ui;
}

/** The schema and uiSchema that render a task's form in `lang`. */
export function formSchema(fields: readonly FormField[], lang: Lang): TaskFormSchema {
  const properties: Record<string, RJSFSchema> = {};
  const uiSchema: UiSchema = { 'ui:order': fields.map((f) => f.key) };
  for (const f of fields) {
    properties[f.key] = fieldSchema(f, lang);
    const ui = fieldUi(f);
    if (Object.keys(ui).length > 0) uiSchema[f.key] = ui;
  }
  const required = fields.filter((f) => f.required && !f.readOnly).map((f) => f.key);
  return {
    schema: { type: 'object', properties, ...(required.length ? { required } : {}) },
    uiSchema,
  };
}

/**
 * The form's starting values: read-only fields show the case data as the API returned it
 * (masked values stay masked). Editable fields start empty, so a case that comes back for a
 * second review does not carry the first review's decision into the new one unnoticed.
 */
export function initialValues(fields: readonly FormField[], caseData: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    if (!f.readOnly) continue;
    const v = getPath(caseData, f.key);
    if (v !== undefined && v !== null) out[f.key] = v;
  }
  return out;
}

/** What to send on completion: editable fields that have a value; read-only ones never (they may be masked). */
export function submittedData(fields: readonly FormField[], values: FormValues): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    if (f.readOnly) continue;
    const v = values[f.key];
    if (v === undefined || v === null || v === '') continue;
    out[f.key] = v;
  }
  return out;
}

/** One field error of a 422 problem. */
export interface ServerFieldError {
  path: string;
  code?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/data/a~1b` → `a/b` (JSON Pointer unescaping of the one segment after /data). */
function keyOfPath(path: string): string | null {
  const m = /^\/data\/(.+)$/.exec(path);
  if (!m) return null;
  return (m[1] as string).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A message for an engine form issue, naming the field by its label. */
function message(code: string, params: Record<string, unknown>, field: FormField | undefined, lang: Lang, fallback: string): string {
  const named = { ...params, field: field ? localized(field.label, lang, field.key) : String(params.field ?? '') };
  const text = formatIssue({ code, params: named }, lang);
  return text === code ? fallback : text;
}

/**
 * The server's field errors as rjsf `extraErrors`: each under its field; errors that name no
 * field of the form (the whole data, an unknown key) at the form's root.
 */
export function serverErrorSchema(errors: readonly ServerFieldError[], fields: readonly FormField[], lang: Lang): ErrorSchema {
  const schema: Record<string, { __errors: string[] }> = {};
  const root: string[] = [];
  for (const e of errors) {
    const key = keyOfPath(e.path);
    const field = key === null ? undefined : fields.find((f) => f.key === key);
    const text = e.code ? message(e.code, e.params ?? {}, field, lang, e.message ?? e.code) : (e.message ?? e.path);
    if (field) (schema[field.key] ??= { __errors: [] }).__errors.push(text);
    else root.push(text);
  }
  return { ...schema, ...(root.length ? { __errors: root } : {}) } as ErrorSchema;
}

/** ajv keyword → the engine's form issue code, so browser and server say the same thing. */
const AJV_TO_ISSUE: Record<string, string> = {
  required: 'form.required',
  type: 'form.type',
  format: 'form.type',
  maxLength: 'form.maxLength',
  pattern: 'form.pattern',
  minimum: 'form.minimum',
  maximum: 'form.maximum',
  enum: 'form.enum',
  const: 'form.enum',
  oneOf: 'form.enum',
};

/** The field key an rjsf error belongs to (`.amount`, `['first-name']`, or the missing property of `required`). */
function keyOfError(e: RJSFValidationError): string | null {
  if (e.name === 'required' && typeof e.params?.missingProperty === 'string') return e.params.missingProperty as string;
  const p = e.property ?? '';
  const bracket = /^\['(.+)'\]$/.exec(p);
  if (bracket) return bracket[1] as string;
  return p.startsWith('.') ? p.slice(1) : p || null;
}

/** Turns ajv's English messages into the engine's messages in `lang`; drops ajv's echo errors of a oneOf. */
export function localizeErrors(errors: RJSFValidationError[], fields: readonly FormField[], lang: Lang): RJSFValidationError[] {
  const out: RJSFValidationError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const key = keyOfError(e);
    const field = key === null ? undefined : fields.find((f) => f.key === key);
    const code = AJV_TO_ISSUE[e.name ?? ''];
    if (!code || !field) {
      out.push(e);
      continue;
    }
    // A oneOf of consts reports each const that did not match, then the oneOf itself: say it once.
    const dedupe = `${field.key}:${code}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const params: Record<string, unknown> = {
      limit: e.params?.limit,
      pattern: e.params?.pattern,
      expected: field.type,
      allowed: (field.options ?? []).map((o) => o.value),
    };
    const text = message(code, params, field, lang, e.message ?? code);
    out.push({ ...e, message: text, stack: text });
  }
  return out;
}
