import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { completeDefinition } from './complete';

describe('completeDefinition', () => {
  it('opens an unfinished draft posted through the API', () => {
    // given a draft with only a key and one nameless node
    const draft = { key: 'partial', nodes: [{ id: 'start', kind: 'start' }] };
    // when prepared for the editor
    const doc = completeDefinition(draft, 'partial');
    // then the containers exist and names fall back to ids
    expect(doc).toEqual({
      key: 'partial',
      name: { 'zh-CN': 'partial', en: 'partial' },
      caseSchema: { type: 'object', properties: {} },
      nodes: [{ id: 'start', kind: 'start', name: { 'zh-CN': 'start', en: 'start' } }],
      edges: [],
    });
  });

  it('keeps a complete flow as it is', () => {
    // given a complete flow
    const flow = loanFlow();
    // when prepared
    // then nothing changes
    expect(completeDefinition(structuredClone(flow), flow.key)).toEqual(flow);
  });

  it('fills a missing language from the other one', () => {
    // given a node named only in Chinese
    const doc = completeDefinition({ key: 'k', name: { 'zh-CN': '贷款' }, nodes: [{ id: 'a', kind: 'end', name: { 'zh-CN': '结束' } }] }, 'k');
    // then both languages have a text
    expect(doc.name).toEqual({ 'zh-CN': '贷款', en: '贷款' });
    expect(doc.nodes[0]?.name).toEqual({ 'zh-CN': '结束', en: '结束' });
  });
});
