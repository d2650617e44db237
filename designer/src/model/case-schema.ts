import type { CaseField, CaseSchema } from '@flowpath/engine';

/** Field names the case data may use: no dots, no spaces, not starting with a digit. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names that would reach JavaScript internals; never allowed as a field segment. */
export const FORBIDDEN_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits a dotted field path; empty segments make the path invalid (null). */
export function splitPath(path: string): string[] | null {
  const parts = path.split('.');
  return parts.every((p) => p.length > 0) ? parts : null;
}

/** True when every segment of a dotted path is an allowed field name. */
export function isFieldPath(path: string): boolean {
  const parts = splitPath(path);
  return parts !== null && parts.every((p) => FIELD_NAME.test(p) && !FORBIDDEN_FIELD_NAMES.has(p));
}

/** Reads a field by dotted path. */
export function getField(schema: CaseSchema, path: string): CaseField | undefined {
  const parts = splitPath(path);
  if (!parts) return undefined;
  let props: Record<string, CaseField> | undefined = schema.properties;
  let field: CaseField | undefined;
  for (const p of parts) {
    if (!props || !Object.hasOwn(props, p)) return undefined;
    field = props[p];
    props = field?.properties;
  }
  return field;
}
