import type { EdgePort, NodeKind } from '@flowpath/engine';

/** Everything the designer needs to know about a node kind that is not in the document. */
export interface KindMeta {
  kind: NodeKind;
  /** Accent colour of the node on the canvas and in the palette. */
  colour: string;
  /** Special exits, each drawn as its own source handle. */
  ports: readonly EdgePort[];
  /** false when the kind has no way in (start) or no way out (end). */
  hasInput: boolean;
  hasOutput: boolean;
  /** The kind carries an `sla` the canvas shows as a badge. */
  hasSla: boolean;
}

/** Palette order: the order an analyst meets them in a typical flow. */
export const KINDS: readonly KindMeta[] = [
  { kind: 'start', colour: '#2e7d32', ports: [], hasInput: false, hasOutput: true, hasSla: false },
  { kind: 'user-task', colour: '#1565c0', ports: [], hasInput: true, hasOutput: true, hasSla: true },
  { kind: 'service-task', colour: '#6a1b9a', ports: ['error'], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'compliance-gate', colour: '#c62828', ports: ['extra'], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'decision', colour: '#ef6c00', ports: [], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'parallel-split', colour: '#00838f', ports: [], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'parallel-join', colour: '#00838f', ports: [], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'wait', colour: '#5d4037', ports: ['timeout'], hasInput: true, hasOutput: true, hasSla: true },
  { kind: 'sub-flow', colour: '#283593', ports: [], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'set-data', colour: '#546e7a', ports: [], hasInput: true, hasOutput: true, hasSla: false },
  { kind: 'end', colour: '#37474f', ports: [], hasInput: true, hasOutput: false, hasSla: false },
];

export const KIND_META: Readonly<Record<NodeKind, KindMeta>> = Object.fromEntries(KINDS.map((k) => [k.kind, k])) as Record<NodeKind, KindMeta>;

/** Type guard for strings that name a node kind (palette drops carry the kind as text). */
export function isNodeKind(v: unknown): v is NodeKind {
  return typeof v === 'string' && v in KIND_META;
}
