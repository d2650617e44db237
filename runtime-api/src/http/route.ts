/**
 * Routes are declared once, as data: method, path, roles, the JSON Schemas of their parameters,
 * body and responses, and a handler. The same list mounts the Express handlers (with ajv
 * validation) and builds the OpenAPI document, so a route cannot exist without its docs.
 */
import type { Request } from 'express';
import type { Principal, Role } from './auth';

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface ParamSpec {
  schema: JsonSchema;
  description: string;
  required?: boolean;
}

export interface ResponseSpec {
  description: string;
  schema?: JsonSchema;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface HandlerContext<B = unknown> {
  req: Request;
  /** The caller; undefined only on public routes. */
  principal: Principal;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: B;
  /** The request's `Idempotency-Key`, when sent. */
  header(name: string): string | undefined;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<B = unknown> {
  method: HttpMethod;
  /** OpenAPI-style path: `/api/flows/{key}/draft`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles that may call; `public` needs no key. Finer checks (own cases, queues) happen in the handler. */
  roles: readonly Role[] | 'public';
  params?: Record<string, ParamSpec>;
  query?: Record<string, ParamSpec>;
  headers?: Record<string, ParamSpec>;
  body?: { schema: JsonSchema; required: boolean; description?: string };
  responses: Record<number, ResponseSpec>;
  /** Problem statuses this route can answer with (401/403 added for non-public routes). */
  errors: number[];
  handler(ctx: HandlerContext<B>): Promise<Reply>;
}

/** Declares a route with a typed body. */
export function route<B = unknown>(spec: RouteSpec<B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** `/api/flows/{key}` → `/api/flows/:key` */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** A matcher for a route's path, used to tell 405 from 404. */
export function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`));
  return new RegExp(`^${escaped.replace(/\{\w+\}/g, '[^/]+')}/?$`);
}
