import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { createEditor } from '../store/editor';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { renderInEditor } from '../test/render';
import { PropertyPanel } from './PropertyPanel';

function setup(select: { nodes?: string[]; edges?: string[] }) {
  const store = createEditorStore(loanFlow());
  store.getState().setSelection({ nodes: select.nodes ?? [], edges: select.edges ?? [] });
  renderInEditor(createEditor(store), <PropertyPanel />);
  return store;
}

describe('PropertyPanel', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('asks for a selection when nothing is selected', () => {
    // given nothing selected
    setup({});
    // then it says what to do
    expect(screen.getByText('Select a node or an edge on the canvas to edit it.')).toBeTruthy();
  });

  it('commits a typed queue on blur as one undo step', () => {
    // given the review task selected
    const store = setup({ nodes: ['review'] });
    const queue = screen.getByLabelText('Queue') as HTMLInputElement;
    expect(queue.value).toBe('credit-review');
    // when a new queue is typed letter by letter and the field is left
    for (const v of ['s', 'se', 'senior']) fireEvent.change(queue, { target: { value: v } });
    expect(store.getState().past).toHaveLength(0);
    fireEvent.blur(queue);
    // then the node has it, in a single history entry
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')).toMatchObject({ queue: 'senior' });
    expect(store.getState().past.map((e) => e.command)).toEqual(['node.update']);
  });

  it('edits both languages of the name', () => {
    // given the review task selected
    const store = setup({ nodes: ['review'] });
    // when the Chinese name is changed
    const zh = screen.getByLabelText('Name (Chinese)');
    fireEvent.change(zh, { target: { value: '高级审核' } });
    fireEvent.keyDown(zh, { key: 'Enter' });
    // then only that language changed
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')?.name).toEqual({ 'zh-CN': '高级审核', en: 'Manual review' });
  });

  it('shows the SLA as amount and unit and changes the unit', () => {
    // given the review task with PT4H working
    const store = setup({ nodes: ['review'] });
    expect((screen.getByLabelText('Amount') as HTMLInputElement).value).toBe('4');
    // when the unit becomes working days
    fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 'working-days' } });
    // then the duration is P4D in working time
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')).toMatchObject({ sla: { duration: 'P4D', mode: 'working' } });
  });

  it('adds an escalation to the SLA', () => {
    // given the review task
    const store = setup({ nodes: ['review'] });
    // when a reassignment is added and its queue set
    fireEvent.click(screen.getByRole('button', { name: '+ Reassign' }));
    const q = screen.getByLabelText('Queue 1');
    fireEvent.change(q, { target: { value: 'senior-review' } });
    fireEvent.blur(q);
    // then the SLA escalates to that queue
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')).toMatchObject({ sla: { escalations: [{ action: 'reassign', queue: 'senior-review' }] } });
  });

  it('adds a form field from the case schema', () => {
    // given the review task without a form
    const store = setup({ nodes: ['review'] });
    // when a form field is added
    fireEvent.click(screen.getByRole('button', { name: '+ Form field' }));
    // then it writes the first case field with the matching type and title
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')).toMatchObject({
      form: { fields: [{ key: 'amount', type: 'number', label: { 'zh-CN': '金额', en: 'Amount' } }] },
    });
    // and its required box sets required
    fireEvent.click(screen.getByLabelText('Form field 1 required'));
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')).toMatchObject({ form: { fields: [{ required: true }] } });
  });

  it("edits a decision edge: default flag and the condition's JSON", () => {
    // given edge e3 from the decision selected
    const store = setup({ edges: ['e3'] });
    const editor = screen.getByRole('group', { name: 'Take this path when' });
    // then the builder shows its condition
    expect(within(editor).getByText('Amount ≤ 50000')).toBeTruthy();
    // when the JSON view is edited and the editor left
    fireEvent.click(within(editor).getByRole('button', { name: 'JSON' }));
    const json = within(editor).getByLabelText('Rule (json-logic)');
    fireEvent.change(json, { target: { value: '{"in": [{"var": "customer.tier"}, ["vip"]]}' } });
    fireEvent.blur(editor, { relatedTarget: document.body });
    // then the edge has the new condition, as one rule.set
    expect(store.getState().doc.edges.find((e) => e.id === 'e3')?.condition).toEqual({ in: [{ var: 'customer.tier' }, ['vip']] });
    expect(store.getState().past.map((e) => e.command)).toEqual(['rule.set']);
    // when it becomes the default
    fireEvent.click(screen.getByLabelText('Default path (when no other condition holds)'));
    // then e4 is no longer the default
    expect(store.getState().doc.edges.find((e) => e.id === 'e4')?.default).toBeUndefined();
  });

  it('keeps JSON the builder cannot show editable, and says so', () => {
    // given edge e3 whose condition uses arithmetic
    const store = createEditorStore(loanFlow());
    store.getState().run('rule.set', { target: { type: 'edge-condition', edgeId: 'e3' }, rule: { '>': [{ '+': [{ var: 'amount' }, 1] }, 5] } });
    store.getState().setSelection({ nodes: [], edges: ['e3'] });
    renderInEditor(createEditor(store), <PropertyPanel />);
    // then the JSON is shown with a note and the builder is unavailable
    expect(screen.getByText('This rule cannot be shown in the builder; edit it as JSON.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Builder' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('Rule (json-logic)') as HTMLTextAreaElement).value).toContain('"+"');
  });

  it('lists gate rules and adds one', () => {
    // given the gate selected
    const store = setup({ nodes: ['gate'] });
    expect(screen.getByRole('group', { name: 'Rule 1' })).toBeTruthy();
    // when a rule is added
    fireEvent.click(screen.getByRole('button', { name: '+ Rule' }));
    // then the gate has two rules, the new one flagging
    const gate = store.getState().doc.nodes.find((n) => n.id === 'gate');
    expect(gate?.kind === 'compliance-gate' && gate.rules.map((r) => [r.id, r.action, r.when])).toEqual([
      ['blacklist', 'stop', { inList: ['blacklist', { var: 'customer.id' }] }],
      ['rule-1', 'flag', false],
    ]);
    // and the new rule opens in the builder, saying it never fires until it has a condition
    const second = screen.getByRole('group', { name: 'Rule 2' });
    expect(within(second).getByText('(no condition: this rule never fires)')).toBeTruthy();
    expect(within(second).getByRole('button', { name: 'Builder' }).getAttribute('aria-pressed')).toBe('true');
  });
});
