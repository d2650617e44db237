import type { LocalizedText, Node, NodeKind, Position } from '@flowpath/engine';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';

/** The kind's name in both languages, used as the label of a freshly dropped node. */
export function kindLabel(kind: NodeKind): LocalizedText {
  return { 'zh-CN': zhCN.kinds[kind], en: en.kinds[kind] };
}

/** A new node of `kind` with the smallest configuration the kind needs. */
export function createNode(kind: NodeKind, id: string, position: Position): Node {
  const base = { id, name: kindLabel(kind), position: { x: Math.round(position.x), y: Math.round(position.y) } };
  switch (kind) {
    case 'start':
    case 'decision':
    case 'parallel-split':
    case 'parallel-join':
      return { ...base, kind };
    case 'end':
      return { ...base, kind, outcome: 'completed' };
    case 'user-task':
      return { ...base, kind, queue: '' };
    case 'service-task':
      return { ...base, kind, connector: '' };
    case 'compliance-gate':
      return { ...base, kind, rules: [] };
    case 'wait':
      // No trigger yet: validation then says "a wait needs a message or a timer".
      return { ...base, kind };
    case 'sub-flow':
      return { ...base, kind, flow: '' };
    case 'set-data':
      return { ...base, kind, assignments: [] };
  }
}

/** Id prefix per kind: short, readable, and valid as a flow id. */
export const ID_PREFIX: Readonly<Record<NodeKind, string>> = {
  start: 'start',
  end: 'end',
  'user-task': 'task',
  'service-task': 'service',
  'compliance-gate': 'gate',
  decision: 'decision',
  'parallel-split': 'split',
  'parallel-join': 'join',
  wait: 'wait',
  'sub-flow': 'subflow',
  'set-data': 'set',
};
