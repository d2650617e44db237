import { editContainer, splitPath, withRequired } from './schema-path';
import type { Command } from './types';

export interface FieldRemoveParams {
  path: string;
}

/** `field.remove`: drops a case-data field (and its sub-fields) and its required mark. */
export const fieldRemove: Command<FieldRemoveParams> = (doc, { path }) => {
  const parts = splitPath(path);
  if (!parts) return doc;
  const caseSchema = editContainer(doc.caseSchema, parts, (container, name) => {
    if (!container.properties || !Object.hasOwn(container.properties, name)) return null;
    const { [name]: _gone, ...properties } = container.properties;
    return withRequired({ ...container, properties }, name, false);
  });
  return caseSchema ? { ...doc, caseSchema } : doc;
};
