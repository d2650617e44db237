/**
 * Which version a new case gets. A release policy names a default version, pilot rules (the
 * first whose json-logic holds over the new case's data wins) and an optional stable percentage
 * split; running cases keep the version they started on, whatever the policy says later.
 */
import { cnMainlandCalendar, evaluateRule } from '@flowpath/engine';
import { sha256 } from '../hash';
import type { ReleasePolicy } from '../store/store';

/** Bucket 0..99 of a text, the same in every process and on every run. */
export function stableBucket(text: string): number {
  return parseInt(sha256(text).slice(0, 8), 16) % 100;
}

/** The version for a new case: a matching pilot, else the split, else the default (or the latest without a policy). */
export function chooseVersion(
  policy: ReleasePolicy | undefined,
  latest: number,
  data: Record<string, unknown>,
  caseId: string,
  customerRef: string | null,
  isInList: (list: string, value: unknown) => boolean,
  now: string = new Date(0).toISOString(),
): number {
  if (!policy) return latest;
  for (const pilot of policy.pilots) {
    const r = evaluateRule(pilot.when, data, { now, calendar: cnMainlandCalendar, isInList });
    if (!r.error && isTruthy(r.result)) return pilot.version;
  }
  if (policy.split && policy.split.percent > 0) {
    const by = policy.split.by === 'caseId' || customerRef === null ? caseId : customerRef;
    if (stableBucket(`${policy.flowKey}:${by}`) < policy.split.percent) return policy.split.version;
  }
  return policy.defaultVersion;
}

/** json-logic truthiness: empty arrays are false, as in the engine's decisions. */
function isTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}
