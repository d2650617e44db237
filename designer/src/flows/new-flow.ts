import type { FlowDefinition, LocalizedText } from '@flowpath/engine';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';

/** Flow keys as the engine's schema accepts them. */
export const FLOW_KEY = /^[a-z][a-z0-9-]{1,63}$/;

/** A new flow with a start connected to an end, ready to draw between them. */
export function blankFlow(key: string, name: LocalizedText): FlowDefinition {
  return {
    key,
    name,
    caseSchema: { type: 'object', properties: {} },
    nodes: [
      { id: 'start', kind: 'start', name: { 'zh-CN': zhCN.newFlow.startName, en: en.newFlow.startName }, position: { x: 0, y: 0 } },
      { id: 'end', kind: 'end', outcome: 'completed', name: { 'zh-CN': zhCN.newFlow.endName, en: en.newFlow.endName }, position: { x: 400, y: 0 } },
    ],
    edges: [{ id: 'edge-1', source: 'start', target: 'end' }],
  };
}

/** A copy of a published flow under a new key and name; owner and tags are not inherited. */
export function fromTemplate(template: FlowDefinition, key: string, name: LocalizedText): FlowDefinition {
  const { owner: _owner, ...rest } = structuredClone(template);
  return { ...rest, key, name };
}
