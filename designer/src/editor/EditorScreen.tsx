import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { Problem } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { elkLayout } from '../canvas/layout';
import { useLiveValidation } from '../problems/use-live-validation';
import { completeDefinition } from '../model/complete';
import { EditorProvider } from '../store/context';
import { createEditor, type Editor } from '../store/editor';
import { createEditorStore } from '../store/editor-store';
import { EditorWorkspace } from './EditorWorkspace';
import { RuntimeInfoProvider, useRuntimeInfo, validateContextOf } from './runtime-info';

/** Opens a flow's draft and hands it to a fresh editor (one store per open flow). */
export function EditorScreen({ flowKey }: { flowKey: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [editor, setEditor] = useState<Editor | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let live = true;
    setEditor(null);
    setProblem(null);
    api.getDraft(flowKey).then(
      (draft) => {
        if (!live) return;
        const store = createEditorStore(completeDefinition(draft.definition, flowKey), { revision: draft.revision });
        setEditor(createEditor(store, { layout: (doc) => elkLayout(doc, store.getState().measured) }));
      },
      (err: unknown) => live && setProblem(toProblem(err)),
    );
    return () => {
      live = false;
    };
  }, [api, flowKey]);

  if (problem) {
    return (
      <main className="editor-error">
        <h1>{t('editor.loadFailed')}</h1>
        <ProblemView problem={problem} />
        <a href="#/flows">{t('editor.backToFlows')}</a>
      </main>
    );
  }
  if (!editor) return <p className="loading">{t('app.loading')}</p>;
  return (
    <EditorProvider editor={editor}>
      <RuntimeInfoProvider>
        <ReactFlowProvider>
          <LiveValidation editor={editor} />
          <EditorWorkspace flowKey={flowKey} />
        </ReactFlowProvider>
      </RuntimeInfoProvider>
    </EditorProvider>
  );
}

function LiveValidation({ editor }: { editor: Editor }) {
  const info = useRuntimeInfo();
  const ctx = useMemo(() => validateContextOf(info), [info]);
  useLiveValidation(editor.store, ctx);
  return null;
}
