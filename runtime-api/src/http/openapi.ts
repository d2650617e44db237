/** Builds the OpenAPI 3.1 document from the route list: every route the app serves is in it by construction. */
import { STATUS_CODES } from 'node:http';
import type { RouteSpec } from './route';
import { components, ref } from './schemas';

export const API_VERSION = '1.0.0';

const PROBLEM_STATUSES = [400, 401, 403, 404, 405, 409, 413, 415, 422, 428, 500, 503];

const problemText: Record<number, string> = {
  400: 'Malformed request: not JSON, invalid UTF-8, or a body, parameter or header that does not match its schema (errors[] names each field).',
  401: 'No API key, or an unknown one.',
  403: 'The key lacks the role, queue or ownership this needs.',
  404: 'No such resource (or not visible to this key).',
  405: 'The path exists but not with this method.',
  409: 'Conflict with the current state (stale revision, task claimed or completed, nothing waits for the message).',
  413: 'The body is larger than the server accepts.',
  415: 'The body is not application/json.',
  422: 'Well-formed, but breaks the rules (invalid flow, case data or task data); errors[] holds every issue with its JSON Pointer.',
  428: 'The request must say which revision it edits (If-Match).',
  500: 'Internal error; the response carries a requestId to quote.',
  503: 'The store is not available.',
};

/** The OpenAPI document of a route list. */
export function buildOpenApi(routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [name, p] of Object.entries(r.params ?? {})) {
      parameters.push({ name, in: 'path', required: true, description: p.description, schema: p.schema });
    }
    for (const [name, p] of Object.entries(r.query ?? {})) {
      parameters.push({ name, in: 'query', required: p.required ?? false, description: p.description, schema: p.schema });
    }
    for (const [name, p] of Object.entries(r.headers ?? {})) {
      parameters.push({ name, in: 'header', required: p.required ?? false, description: p.description, schema: p.schema });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.headers ? { headers: Object.fromEntries(Object.entries(res.headers).map(([h, v]) => [h, { description: v.description, schema: v.schema }])) } : {}),
        ...(res.schema ? { content: { 'application/json': { schema: res.schema } } } : {}),
      };
    }
    const errors = new Set(r.errors);
    if (r.roles !== 'public') {
      errors.add(401);
      errors.add(403);
    }
    if (r.body) {
      errors.add(400);
      errors.add(413);
      errors.add(415);
    }
    errors.add(500);
    for (const s of [...errors].sort()) responses[String(s)] = { $ref: `#/components/responses/Problem${s}` };
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.roles === 'public' ? { security: [] } : { 'x-roles': [...r.roles] }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: r.body.required,
              ...(r.body.description ? { description: r.body.description } : {}),
              content: { 'application/json': { schema: r.body.schema } },
            },
          }
        : {}),
      responses,
    };
    (paths[r.path] ??= {})[r.method] = op;
  }
  const problemResponses = Object.fromEntries(
    PROBLEM_STATUSES.map((s) => [
      `Problem${s}`,
      { description: `${STATUS_CODES[s]}: ${problemText[s]}`, content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flowpath runtime API',
      version: API_VERSION,
      description:
        'Flows, versions and release policies; cases, tasks, timers and their audit trail. Every error is RFC 9457 problem+json with a stable `code`. ' +
        'Authenticate with `Authorization: Bearer <key>`; `x-roles` on each operation lists the roles that may call it.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      responses: problemResponses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from FLOWPATH_API_KEYS or the keys file in the data folder.' } },
    },
  };
}
