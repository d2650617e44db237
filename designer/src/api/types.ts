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
  id?: string;
  name?: string;
  version: number;
}

/** The signed-in caller as the server knows them. */
export interface Me {
  name: string;
  roles: string[];
  queues: string[];
}

/** A connector that service tasks can name. */
export interface ConnectorInfo {
  name: string;
  description?: string;
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
  /** Given by the server when absent. */
  id?: string;
  name?: string;
  when: Rule;
  version: number;
}

/** Which version a new case of the flow gets. */
export interface ReleasePolicy {
  /** Null before the first version is published. */
  defaultVersion: number | null;
  pilots: PilotRule[];
  /** Stable percentage split: `percent` of new cases (by customer reference or case id) get `version`. */
  split: { version: number; percent: number; by?: 'customerRef' | 'caseId' } | null;
  /** For If-Match on the next PUT; 0 before any policy exists. */
  revision: number;
}

/** Options of a publish. */
export interface PublishOptions {
  note: string;
  /** The draft revision being published; a newer save on the server makes this a 409. */
  revision?: number;
  /** Make the new version the default for new cases (the first version always is). */
  setDefault?: boolean;
}
