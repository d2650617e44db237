import { Ajv2020 as Ajv } from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Issue } from './model';

// ajv-formats is CommonJS; under some resolutions the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/** One shared ajv instance for the engine's own schemas. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/** ajv errors as Issues, dropping the noise of `if` and `allOf` wrappers. `prefix` is prepended to paths. */
export function ajvIssues(errors: ErrorObject[] | null | undefined, code: (e: ErrorObject) => string, prefix = ''): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'if' || e.keyword === 'allOf' || e.keyword === '$ref') continue;
    let path = prefix + e.instancePath;
    const params: Record<string, unknown> = { ...e.params };
    if (e.keyword === 'required') path = `${path}/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`;
      params.property = e.params.additionalProperty;
    }
    const c = code(e);
    const key = `${c}|${path}|${JSON.stringify(params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: c, severity: 'error', path, params });
  }
  return out;
}
