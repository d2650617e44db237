import { ReactFlowProvider } from '@xyflow/react';
import { cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach } from 'vitest';
import { i18n } from '../i18n';
import { EditorProvider } from '../store/context';
import type { Editor } from '../store/editor';

afterEach(() => cleanup());

/** Renders a component inside an editor, React Flow and i18n, as the app does. */
export function renderInEditor(editor: Editor, ui: ReactElement) {
  return render(
    <I18nextProvider i18n={i18n}>
      <EditorProvider editor={editor}>
        <ReactFlowProvider>{ui}</ReactFlowProvider>
      </EditorProvider>
    </I18nextProvider>,
  );
}
