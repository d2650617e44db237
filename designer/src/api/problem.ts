import type { TFunction } from 'i18next';
import type { Lang } from '../i18n';
import { ApiError } from './client';
import type { Problem } from './types';

/** Turns anything thrown by an API call into a problem to show. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return { type: 'about:blank', title: err instanceof Error ? err.message : String(err), status: -1, code: 'client.error' };
}

const STATUS_KEYS = {
  0: 'errors.status.0',
  400: 'errors.status.400',
  401: 'errors.status.401',
  403: 'errors.status.403',
  404: 'errors.status.404',
  409: 'errors.status.409',
  413: 'errors.status.413',
  422: 'errors.status.422',
  500: 'errors.status.500',
} as const;

/** Codes with a headline of their own; others fall back to the HTTP status. */
const CODE_KEYS: Record<string, string> = {
  'flow.version.unchanged': 'errors.code.versionUnchanged',
  'draft.revision.stale': 'errors.code.draftStale',
  'flow.exists': 'errors.code.flowExists',
  'flow.invalid': 'errors.code.flowInvalid',
  'release-policy.invalid': 'errors.code.policyInvalid',
  'release-policy.revision.stale': 'errors.code.policyStale',
  'flow.key.invalid': 'errors.code.keyInvalid',
};

/** The headline for a problem in the user's language; the server's own detail is shown under it. */
export function problemHeadline(problem: Problem, t: TFunction): string {
  const byCode = problem.code ? CODE_KEYS[problem.code] : undefined;
  if (byCode) return t(byCode);
  const key = STATUS_KEYS[problem.status as keyof typeof STATUS_KEYS] ?? (problem.status >= 500 ? STATUS_KEYS[500] : null);
  return key ? t(key) : problem.title;
}

/** The server's explanation, when it says more than the headline. */
export function problemDetail(problem: Problem, _lang: Lang): string | undefined {
  const parts = [problem.detail, problem.code ? `(${problem.code})` : undefined].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}
