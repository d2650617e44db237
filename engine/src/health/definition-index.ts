/** What the facts fold needs to know about a flow, computed once per definition object. */
import type { CaseField, FlowDefinition, Milestone, NodeKind } from '../model';

export interface DefinitionIndex {
  kinds: Map<string, NodeKind>;
  /** Nodes with their own SLA (user tasks and waits). */
  slaNodes: Set<string>;
  /** Incoming edge ids of each parallel join. */
  joinIncoming: Map<string, string[]>;
  milestones: Milestone[];
  /** Nodes that start a milestone. */
  milestoneFrom: Set<string>;
  /** Milestones by the node that ends them. */
  milestonesTo: Map<string, Milestone[]>;
  /** Dotted paths of case-schema fields marked `dimension` and not `sensitive`. */
  dimensions: string[];
  /** Top-level number fields marked as satisfaction answers, and the CSAT scale's top. */
  csatField?: string;
  csatOf: number;
  npsField?: string;
  hasCaseSla: boolean;
}

const cache = new WeakMap<FlowDefinition, DefinitionIndex>();

/** Indexes a flow definition (cached per object; definitions are treated as immutable). */
export function indexDefinition(def: FlowDefinition): DefinitionIndex {
  const hit = cache.get(def);
  if (hit) return hit;
  const kinds = new Map<string, NodeKind>();
  const slaNodes = new Set<string>();
  for (const n of def.nodes) {
    kinds.set(n.id, n.kind);
    if ((n.kind === 'user-task' || n.kind === 'wait') && n.sla) slaNodes.add(n.id);
  }
  const joinIncoming = new Map<string, string[]>();
  for (const e of def.edges) {
    if (kinds.get(e.target) !== 'parallel-join') continue;
    const list = joinIncoming.get(e.target) ?? [];
    list.push(e.id);
    joinIncoming.set(e.target, list);
  }
  const milestones = def.milestones ?? [];
  const milestoneFrom = new Set<string>();
  const milestonesTo = new Map<string, Milestone[]>();
  for (const m of milestones) {
    if (m.from !== undefined) milestoneFrom.add(m.from);
    const list = milestonesTo.get(m.to) ?? [];
    list.push(m);
    milestonesTo.set(m.to, list);
  }
  const index: DefinitionIndex = {
    kinds,
    slaNodes,
    joinIncoming,
    milestones,
    milestoneFrom,
    milestonesTo,
    dimensions: dimensionPaths(def.caseSchema?.properties ?? {}, ''),
    csatOf: 5,
    hasCaseSla: def.sla !== undefined,
  };
  for (const [key, field] of Object.entries(def.caseSchema?.properties ?? {})) {
    if (field.type !== 'number' && field.type !== 'integer') continue;
    if (field.satisfaction === 'csat' && index.csatField === undefined) {
      index.csatField = key;
      if (typeof field.maximum === 'number' && field.maximum >= 2) index.csatOf = field.maximum;
    }
    if (field.satisfaction === 'nps' && index.npsField === undefined) index.npsField = key;
  }
  cache.set(def, index);
  return index;
}

function dimensionPaths(props: Record<string, CaseField>, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, field] of Object.entries(props)) {
    const path = prefix + key;
    // Personal data never becomes a dimension, whatever else the field says.
    if (field.sensitive) continue;
    if (field.dimension) out.push(path);
    if (field.properties) out.push(...dimensionPaths(field.properties, `${path}.`));
  }
  return out;
}
