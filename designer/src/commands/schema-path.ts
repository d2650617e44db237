import type { CaseField, CaseSchema } from '@flowpath/engine';

export { splitPath } from '../model/case-schema';

/** A container of properties in the case schema: the schema itself or an object field. */
type Container = Pick<CaseSchema, 'properties' | 'required'> | CaseField;

/**
 * Rebuilds the schema with `edit` applied to the container that holds the last segment.
 * Returns null when an intermediate segment is not an object field.
 */
export function editContainer(
  schema: CaseSchema,
  parts: readonly string[],
  edit: (container: Container, name: string) => Container | null,
): CaseSchema | null {
  const walk = (container: Container, depth: number): Container | null => {
    const name = parts[depth]!;
    if (depth === parts.length - 1) return edit(container, name);
    const child = container.properties?.[name];
    if (!child || child.type !== 'object') return null;
    const nextChild = walk(child, depth + 1);
    if (nextChild === null) return null;
    if (nextChild === child) return container;
    return { ...container, properties: { ...container.properties, [name]: nextChild as CaseField } };
  };
  const result = walk(schema, 0);
  if (result === null) return null;
  return result as CaseSchema;
}

/** Adds or removes `name` from a container's `required` list. */
export function withRequired<T extends Container>(container: T, name: string, required: boolean): T {
  const list = container.required ?? [];
  const has = list.includes(name);
  if (has === required) return container;
  const next = required ? [...list, name] : list.filter((n) => n !== name);
  if (next.length === 0) {
    const { required: _r, ...rest } = container;
    return rest as T;
  }
  return { ...container, required: next };
}
