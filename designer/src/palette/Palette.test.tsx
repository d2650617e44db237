import { fireEvent, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { PALETTE_MIME } from '../canvas/Canvas';
import { i18n } from '../i18n';
import { KINDS } from '../model/kinds';
import { createEditor } from '../store/editor';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { renderInEditor } from '../test/render';
import { Palette } from './Palette';

describe('Palette', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('offers every node kind with a test id and an accessible name', () => {
    // given a palette
    renderInEditor(createEditor(createEditorStore(loanFlow())), <Palette />);
    // then each of the eleven kinds is there, findable by role and label
    expect(KINDS).toHaveLength(11);
    for (const k of KINDS) expect(screen.getByTestId(`palette-${k.kind}`)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add Compliance gate' })).toBeTruthy();
  });

  it('names the kinds in Chinese when the UI is in Chinese', async () => {
    // given the UI in Chinese
    await i18n.changeLanguage('zh-CN');
    renderInEditor(createEditor(createEditorStore(loanFlow())), <Palette />);
    // then the labels are Chinese
    expect(screen.getByRole('button', { name: '添加“合规关卡”' })).toBeTruthy();
  });

  it('puts the kind on the drag so the canvas knows what was dropped', () => {
    // given a palette
    renderInEditor(createEditor(createEditorStore(loanFlow())), <Palette />);
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), effectAllowed: '' };
    // when the wait item is dragged
    fireEvent.dragStart(screen.getByTestId('palette-wait'), { dataTransfer });
    // then the drag carries the kind
    expect(data.get(PALETTE_MIME)).toBe('wait');
  });

  it('adds a node with the keyboard', () => {
    // given a palette
    const store = createEditorStore(loanFlow());
    renderInEditor(createEditor(store), <Palette />);
    // when Enter is pressed on "Decision"
    fireEvent.keyDown(screen.getByTestId('palette-decision'), { key: 'Enter' });
    // then a decision is added and selected
    expect(store.getState().doc.nodes.at(-1)).toMatchObject({ id: 'decision-1', kind: 'decision' });
    expect(store.getState().selection.nodes).toEqual(['decision-1']);
  });
});
