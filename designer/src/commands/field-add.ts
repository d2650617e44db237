import type { CaseField } from '@flowpath/engine';
import { isFieldPath } from '../model/case-schema';
import { editContainer, splitPath, withRequired } from './schema-path';
import type { Command } from './types';

export interface FieldAddParams {
  /** Dotted path of the new field; its parent must be an object field (or the root). */
  path: string;
  field: CaseField;
  required?: boolean;
}

/** `field.add`: declares a new case-data field. An existing or badly named field is refused. */
export const fieldAdd: Command<FieldAddParams> = (doc, { path, field, required = false }) => {
  const parts = splitPath(path);
  if (!parts || !isFieldPath(path)) return doc;
  const caseSchema = editContainer(doc.caseSchema, parts, (container, name) => {
    if (container.properties && Object.hasOwn(container.properties, name)) return null;
    const next = { ...container, properties: { ...(container.properties ?? {}), [name]: field } };
    return withRequired(next, name, required);
  });
  return caseSchema ? { ...doc, caseSchema } : doc;
};
