import { fireEvent, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { createEditor } from '../store/editor';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { renderInEditor } from '../test/render';
import { CaseSchemaEditor } from './CaseSchemaEditor';

function setup() {
  const store = createEditorStore(loanFlow());
  renderInEditor(createEditor(store), <CaseSchemaEditor />);
  return store;
}

describe('CaseSchemaEditor: satisfaction answers', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('marks a top-level number field as a CSAT or NPS answer and back, one undo step each', () => {
    // given the loan flow, whose amount is a top-level number
    const store = setup();
    const select = screen.getByLabelText('amount is a satisfaction answer') as HTMLSelectElement;
    expect(select.value).toBe('');
    // when it is marked as an NPS answer
    fireEvent.change(select, { target: { value: 'nps' } });
    // then the field records it and process health will read it
    expect(store.getState().doc.caseSchema.properties.amount).toMatchObject({ type: 'number', satisfaction: 'nps' });
    // and choosing "No" removes the mark again
    fireEvent.change(select, { target: { value: '' } });
    expect(store.getState().doc.caseSchema.properties.amount?.satisfaction).toBeUndefined();
    expect(store.getState().past.map((e) => e.command)).toEqual(['field.update', 'field.update']);
  });

  it('offers the choice only where it counts: top-level numbers, not text or nested fields', () => {
    setup();
    expect(screen.queryByLabelText('branch is a satisfaction answer')).toBeNull();
    expect(screen.queryByLabelText('customer.tier is a satisfaction answer')).toBeNull();
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    setup();
    const select = screen.getByLabelText('amount 为满意度答案') as HTMLSelectElement;
    expect([...select.options].map((o) => o.text)).toEqual(['否', 'CSAT 评分（1 至最大值，默认 5）', 'NPS（0–10，推荐意愿）']);
  });
});
