/**
 * RFC 9457 problem details: every error the API returns has this shape, with a stable dotted
 * `code` that clients switch on and, for validation, the JSON Pointer of each bad field.
 */
import { STATUS_CODES } from 'node:http';

/** One bad field: `path` is a JSON Pointer into the request (`/data/amount`) or the flow (`/nodes/3/queue`). */
export interface ProblemError {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
  /** Where the field is when not in the body. */
  in?: 'path' | 'query' | 'header';
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://flowpath.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error that becomes a problem+json response. Throw it from handlers; the error middleware answers. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: { errors?: ProblemError[]; [k: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'HttpProblem';
  }

  /** The response body for a request. */
  body(instance?: string, requestId?: string): ProblemBody {
    return {
      type: PROBLEM_TYPE_BASE + this.code,
      title: STATUS_CODES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance === undefined ? {} : { instance }),
      ...(requestId === undefined ? {} : { requestId }),
      ...this.extensions,
    };
  }
}

export const badRequest = (code: string, detail: string, errors?: ProblemError[]): HttpProblem =>
  new HttpProblem(400, code, detail, errors ? { errors } : {});
export const unauthorized = (detail: string): HttpProblem =>
  new HttpProblem(401, 'auth.required', detail, {}, { 'WWW-Authenticate': 'Bearer realm="flowpath"' });
export const forbidden = (code: string, detail: string): HttpProblem => new HttpProblem(403, code, detail);
export const notFound = (code: string, detail: string): HttpProblem => new HttpProblem(404, code, detail);
export const conflict = (code: string, detail: string, extensions: Record<string, unknown> = {}): HttpProblem =>
  new HttpProblem(409, code, detail, extensions);
export const unprocessable = (code: string, detail: string, errors: ProblemError[], extensions: Record<string, unknown> = {}): HttpProblem =>
  new HttpProblem(422, code, detail, { errors, ...extensions });

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}
