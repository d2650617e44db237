/**
 * The flow model: what an analyst draws and a process owner publishes.
 * The JSON Schema in `schema/flow-schema.ts` is the source of truth for the format;
 * `model.test.ts` checks these types against it.
 */

/** Text in both product languages. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

/** A json-logic rule (https://jsonlogic.com) plus Flowpath's extra operations. */
export type Rule = unknown;

/**
 * A time limit. `duration` is an ISO 8601 duration (`PT4H`, `P7D`, `PT30M`) or `T+n`
 * (close of business on the n-th working day after the start).
 * In `working` mode durations count only the calendar's working time: `PT4H` is four
 * working hours and `P7D` seven working days.
 */
export interface Sla {
  duration: string;
  mode?: 'calendar' | 'working';
  /** Warn when this much time is left (ISO 8601 duration), or at this fraction of the limit. */
  warnBefore?: string;
  warnAt?: number;
  /** What happens when the limit is breached, in order. */
  escalations?: Escalation[];
}

export type Escalation =
  | { action: 'reassign'; queue: string }
  | { action: 'raise-priority'; to: number }
  | { action: 'notify'; to: string; message?: LocalizedText };

export interface Position {
  x: number;
  y: number;
}

interface NodeBase {
  id: string;
  /** Version of the node kind's behaviour; a published flow runs on the versions it was published with. */
  kindVersion?: number;
  name: LocalizedText;
  description?: LocalizedText;
  position?: Position;
}

export interface StartNode extends NodeBase {
  kind: 'start';
}

export interface EndNode extends NodeBase {
  kind: 'end';
  /** Outcome recorded on the case, such as `approved`, `rejected`, `terminated`. */
  outcome: string;
  /** End every other branch of the case too (default false: wait for the others). */
  terminate?: boolean;
}

export type FormFieldType = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'enum';

export interface FormField {
  /** Case-data field this input writes (dotted path, declared in the case schema). */
  key: string;
  label: LocalizedText;
  type: FormFieldType;
  required?: boolean;
  /** Allowed values for `enum`, with labels. */
  options?: { value: string; label: LocalizedText }[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  /** Shown read-only (for context), not edited. */
  readOnly?: boolean;
}

export interface UserTaskNode extends NodeBase {
  kind: 'user-task';
  queue: string;
  roles?: string[];
  /** 0..100, higher first. A number or a rule over the case data. Default: the case's priority. */
  priority?: number | { rule: Rule };
  form?: { fields: FormField[] };
  sla?: Sla;
  /** The operator who completes this task may not be the one who completed these nodes (four eyes). */
  notCompletedBy?: string[];
}

export interface ServiceTaskNode extends NodeBase {
  kind: 'service-task';
  connector: string;
  /** Connector input: name → rule over the case data. */
  input?: Record<string, Rule>;
  /** Case-data field → dotted path in the connector's result. */
  output?: Record<string, string>;
  retry?: { maxAttempts: number; backoff?: string };
  timeout?: string;
}

export type GateAction = 'pass' | 'flag' | 'require-step' | 'stop';

export interface GateRule {
  id: string;
  name: LocalizedText;
  /** The rule fires when this evaluates truthy. */
  when: Rule;
  action: GateAction;
  /** Shown to the reviewer (flag) or in the alert (stop). */
  message?: LocalizedText;
  /** Outcome recorded when `stop` ends the case (default `terminated`). */
  outcome?: string;
}

export interface ComplianceGateNode extends NodeBase {
  kind: 'compliance-gate';
  rules: GateRule[];
}

export interface DecisionNode extends NodeBase {
  kind: 'decision';
}

export interface ParallelSplitNode extends NodeBase {
  kind: 'parallel-split';
}

export interface ParallelJoinNode extends NodeBase {
  kind: 'parallel-join';
}

export interface WaitNode extends NodeBase {
  kind: 'wait';
  /** Continue when this message arrives... */
  message?: string;
  /** ...or when this time has passed (timer wait). */
  timer?: { duration: string; mode?: 'calendar' | 'working' };
  /** Time limit on a message wait; taken through the `timeout` port when present. */
  sla?: Sla;
}

export interface SubFlowNode extends NodeBase {
  kind: 'sub-flow';
  flow: string;
  input?: Record<string, Rule>;
  /** Case-data field → dotted path in the child case's data. */
  output?: Record<string, string>;
}

export interface SetDataNode extends NodeBase {
  kind: 'set-data';
  assignments: { field: string; value: Rule }[];
}

export type Node =
  | StartNode
  | EndNode
  | UserTaskNode
  | ServiceTaskNode
  | ComplianceGateNode
  | DecisionNode
  | ParallelSplitNode
  | ParallelJoinNode
  | WaitNode
  | SubFlowNode
  | SetDataNode;

export type NodeKind = Node['kind'];

/**
 * Ports name the special exits of a node: a compliance gate's `extra` (a rule asked for an
 * extra step), a wait's `timeout`, a service task's `error` (after its retries).
 */
export type EdgePort = 'extra' | 'timeout' | 'error';

export interface Edge {
  id: string;
  source: string;
  target: string;
  name?: LocalizedText;
  /** On edges leaving a decision: taken when truthy; evaluated by ascending `order`, then array order. */
  condition?: Rule;
  /** The decision's edge when no condition holds. Exactly one per decision. */
  default?: boolean;
  order?: number;
  port?: EdgePort;
}

/** A JSON Schema property of the case data, with Flowpath's annotations. */
export interface CaseField {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  title?: LocalizedText;
  description?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** Personal information (PIPL): masked for roles that do not need it. */
  sensitive?: boolean;
  /** Usable as a dimension in process-health figures (branch, channel, segment). */
  dimension?: boolean;
  /** Names the customer reference that operators search for. */
  customerRef?: boolean;
  /**
   * A customer-satisfaction answer the flow records (a top-level number field): `csat` (a score up
   * to the field's `maximum`, default 5; the top two are "satisfied") or `nps` (0–10, likelihood to
   * recommend). Process health reports the CSAT and NPS of the cases that answered.
   */
  satisfaction?: 'csat' | 'nps';
  properties?: Record<string, CaseField>;
  required?: string[];
  items?: CaseField;
}

export interface CaseSchema {
  type: 'object';
  properties: Record<string, CaseField>;
  required?: string[];
}

/** A measured stretch of the flow, e.g. "first review" = case start → node X completed. */
export interface Milestone {
  id: string;
  name: LocalizedText;
  /** Node whose completion starts the stretch; absent = case start. */
  from?: string;
  to: string;
  target?: string;
  /** How the target counts time (default `working`: milestones are stated in working time). */
  mode?: 'calendar' | 'working';
}

export interface FlowDefinition {
  $schema?: string;
  /** Stable id of the flow: lowercase letters, digits and dashes. */
  key: string;
  name: LocalizedText;
  description?: LocalizedText;
  owner?: string;
  tags?: string[];
  caseSchema: CaseSchema;
  /** Business calendar id (default `cn-mainland`). */
  calendar?: string;
  /** Priority of a new case (0..100): a number or a rule over the start data. Default 50. */
  priority?: number | { rule: Rule };
  /** Time limit on the whole case. */
  sla?: Sla;
  milestones?: Milestone[];
  nodes: Node[];
  edges: Edge[];
}

/** A published, immutable version of a flow. */
export interface FlowVersion {
  key: string;
  version: number;
  definition: FlowDefinition;
  hash: string;
  author?: string;
  publishedBy?: string;
  publishedAt: string;
  note?: string;
}

export type Severity = 'error' | 'warning';

/** A problem found in a flow or an input. `path` is a JSON Pointer into the document. */
export interface Issue {
  code: string;
  severity: Severity;
  path: string;
  params: Record<string, unknown>;
  nodeId?: string;
  edgeId?: string;
}
