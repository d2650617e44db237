import type { FlowDefinition, Issue, Rule } from '@flowpath/engine';

/** RFC 9457 problem details as the runtime returns them, with Flowpath's extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable dotted code, the same as the engine's issue codes where one applies. */
  code?: string;
  /** Validation issues (publish refused, draft invalid). */
  issues?: Issue[];
  /** On a 409 for a stale draft: the revision the server has now. */
  currentRevision?: number;
  [extension: string]: unknown;
}

/** A pilot the release policy currently runs for a flow. */
export interface PilotSummary {
  name?: string;
  version: number;
}

/** One row of the flow list. */
export interface FlowSummary {
  key: string;
  name: { 'zh-CN': string; en: string };
  owner?: string;
  /** Published version numbers, ascending. */
  versions: number[];
  latestVersion?: number;
  defaultVersion?: number;
  draft?: { revision: number; updatedAt?: string; updatedBy?: string; changed?: boolean };
  pilots: PilotSummary[];
}

/** The editable draft of a flow with its optimistic-concurrency revision. */
export interface Draft {
  key: string;
  revision: number;
  definition: FlowDefinition;
  updatedAt?: string;
  updatedBy?: string;
}

/** A published version as listed in the history (definition may be omitted in lists). */
export interface VersionSummary {
  key: string;
  version: number;
  hash?: string;
  author?: string;
  publishedBy?: string;
  publishedAt: string;
  note?: string;
}

export interface VersionDetail extends VersionSummary {
  definition: FlowDefinition;
}

/** Pilot rule: new cases whose start data satisfies `when` get `version`. */
export interface PilotRule {
  name?: string;
  when: Rule;
  version: number;
}

/** Which version a new case of the flow gets. */
export interface ReleasePolicy {
  defaultVersion: number;
  pilots: PilotRule[];
  /** Stable percentage split: `percent` of new cases (by case key hash) get `version`. */
  split?: { version: number; percent: number } | null;
}
