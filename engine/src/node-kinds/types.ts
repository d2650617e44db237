import type { StepInput, Token } from '../case';
import type { Edge, FlowDefinition, Issue, Node } from '../model';
import type { Runtime } from '../runtime';

/** What a node kind may check beyond its schema; `path` is the node's JSON Pointer. */
export interface KindValidateContext {
  flow: FlowDefinition;
  path: string;
  index: number;
  outgoing: Edge[];
  incoming: Edge[];
  /** Validates a rule at a path against the case schema. */
  rule(rule: unknown, path: string): Issue[];
  /** Checks that a case-data field (dotted path) is declared in the case schema. */
  field(field: string, path: string): Issue[];
  /** Checks an SLA or duration string at a path. */
  duration(value: string, path: string): Issue[];
  connectors?: readonly string[];
  flows?: readonly string[];
}

/** How many edges a kind takes and gives; ports are the special exits it may have. */
export interface Arity {
  incoming: { min: number; max?: number };
  /** Normal (port-less) outgoing edges. */
  outgoing: { min: number; max?: number };
  ports?: readonly ('extra' | 'timeout' | 'error')[];
}

/**
 * One node kind: its config schema, its checks and its behaviour. Shared behaviour (moving
 * tokens, choosing edges, SLA clocks) lives in the Runtime so a kind stays small.
 */
export interface NodeKindSpec<N extends Node = Node> {
  kind: N['kind'];
  /** Behaviour versions this engine can run; the newest is used for new nodes. */
  versions: readonly number[];
  /** JSON Schema of the kind's own fields. */
  properties: Record<string, unknown>;
  required: readonly string[];
  arity: Arity;
  validate?(node: N, ctx: KindValidateContext): Issue[];
  /** A token arrived at the node. */
  enter(node: N, token: Token, rt: Runtime): void;
  /** An input addressed to a token waiting at this node. */
  resume?(node: N, token: Token, input: StepInput, rt: Runtime): void;
}

/** Erases the node type parameter so kinds can sit in one list. */
export function defineKind<N extends Node>(spec: NodeKindSpec<N>): NodeKindSpec {
  return spec as unknown as NodeKindSpec;
}
