import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('node.update', () => {
  it('sets the queue and removes the SLA of a user task', () => {
    // given the review task with an SLA
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when its queue changes and the SLA is cleared
    store.getState().run('node.update', { id: 'review', patch: { queue: 'senior-review', sla: undefined } });
    // then the node has the new queue and no sla field at all
    const review = store.getState().doc.nodes.find((n) => n.id === 'review');
    expect(review).toMatchObject({ queue: 'senior-review' });
    expect(review && 'sla' in review).toBe(false);
    expectUndoRedo(store, before);
  });

  it('never changes the id or the kind', () => {
    // given the review task
    const store = createEditorStore(loanFlow());
    // when a patch tries to change id and kind
    const changed = store.getState().run('node.update', { id: 'review', patch: { id: 'x', kind: 'end' } as never });
    // then nothing changed
    expect(changed).toBe(false);
    expect(store.getState().doc.nodes.find((n) => n.id === 'review')?.kind).toBe('user-task');
  });
});
