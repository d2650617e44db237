import type { CaseField } from '@flowpath/engine';
import { editContainer, splitPath, withRequired } from './schema-path';
import { applyPatch, type Command } from './types';

export interface FieldUpdateParams {
  path: string;
  patch: Partial<CaseField>;
  required?: boolean;
}

/** `field.update`: changes a case-data field's type, flags, allowed values or required flag. */
export const fieldUpdate: Command<FieldUpdateParams> = (doc, { path, patch, required }) => {
  const parts = splitPath(path);
  if (!parts) return doc;
  const caseSchema = editContainer(doc.caseSchema, parts, (container, name) => {
    const field = container.properties?.[name];
    if (!field) return null;
    let nextField = applyPatch(field, patch);
    // A field that is no longer an object has no sub-fields to keep.
    if (patch.type !== undefined && patch.type !== 'object' && (nextField.properties || nextField.required)) {
      const { properties: _p, required: _r, ...rest } = nextField;
      nextField = rest;
    }
    let next = nextField === field ? container : { ...container, properties: { ...container.properties, [name]: nextField } };
    if (required !== undefined) next = withRequired(next, name, required);
    return next;
  });
  return caseSchema && caseSchema !== doc.caseSchema ? { ...doc, caseSchema } : doc;
};
