/**
 * ajv validators for request parts, compiled from the same schemas the OpenAPI document shows.
 * Schemas may `$ref` `#/components/schemas/X`; the components are attached to every compiled
 * schema so those references resolve exactly as they do in the document.
 */
import { Ajv2020 } from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ProblemError } from './problem';
import type { JsonSchema } from './route';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const MAX_ERRORS = 50;

export interface Validators {
  compile(schema: JsonSchema): ValidateFunction;
  compileCoercing(schema: JsonSchema): ValidateFunction;
}

/** Validators sharing the component schemas of the API. */
export function createValidators(components: Record<string, JsonSchema>): Validators {
  const make = (coerceTypes: boolean): Ajv2020 => {
    // Unknown keywords are errors (typos in our schemas); the engine's flow schema uses if/then without repeating properties, so strictRequired/strictTypes stay off.
    const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictNumbers: true, strictRequired: false, strictTypes: false, strictTuples: false, coerceTypes, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'components' });
    ajv.addKeyword({ keyword: 'example' });
    addFormats(ajv);
    return ajv;
  };
  const plain = make(false);
  const coercing = make(true);
  const withComponents = (schema: JsonSchema): JsonSchema => ({ ...schema, components: { schemas: components } });
  return {
    compile: (schema) => plain.compile(withComponents(schema)),
    compileCoercing: (schema) => coercing.compile(withComponents(schema)),
  };
}

/** ajv errors as problem errors with JSON Pointer paths; wrapper keywords (if/allOf/$ref) dropped. */
export function schemaErrors(errors: ErrorObject[] | null | undefined, prefix = ''): ProblemError[] {
  const out: ProblemError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'if' || e.keyword === 'allOf' || e.keyword === '$ref' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    let path = prefix + e.instancePath;
    if (e.keyword === 'required') path = `${path}/${escape(String(e.params.missingProperty))}`;
    if (e.keyword === 'additionalProperties') path = `${path}/${escape(String(e.params.additionalProperty))}`;
    const code = `schema.${e.keyword}`;
    const key = `${code}|${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message =
      e.keyword === 'additionalProperties'
        ? `unknown property ${String(e.params.additionalProperty)}`
        : e.keyword === 'enum'
          ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? 'is invalid');
    out.push({ path, code, message, params: { ...e.params } });
    if (out.length >= MAX_ERRORS) break;
  }
  // In `anyOf` alternatives (a nullable object), the branch that failed deeper says more than
  // "must be null" at the parent: drop type/const errors above a deeper error.
  const paths = out.map((e) => e.path);
  const pruned = out.filter((e) => !((e.code === 'schema.type' || e.code === 'schema.const') && paths.some((p) => p.startsWith(`${e.path}/`))));
  out.length = 0;
  out.push(...pruned);
  if (out.length === 0 && errors && errors.length > 0) {
    const e = errors[0] as ErrorObject;
    out.push({ path: prefix + e.instancePath, code: `schema.${e.keyword}`, message: e.message ?? 'is invalid' });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
