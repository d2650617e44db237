import type { FlowDefinition } from '@flowpath/engine';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, CaseDetail } from '../../api/console-types';
import { Canvas } from '../../canvas/Canvas';
import { EditorProvider } from '../../store/context';
import { createEditor } from '../../store/editor';
import { createEditorStore } from '../../store/editor-store';
import { casePathOverlay } from '../model/case-path';

/**
 * The flow version the case runs on, drawn read-only with the designer's canvas: the path the
 * case took in blue, the steps where it waits now in amber.
 */
export function CaseGraph({ def, audit, kase }: { def: FlowDefinition; audit: readonly AuditEntry[]; kase: CaseDetail }) {
  const { t } = useTranslation();
  // Its own read-only store: nothing here can edit a flow.
  const editor = useMemo(() => createEditor(createEditorStore(def, { readOnly: true })), [def]);
  const overlay = useMemo(() => casePathOverlay(def, audit, kase), [def, audit, kase]);
  useEffect(() => editor.store.getState().setOverlay(overlay), [editor, overlay]);
  const active = Object.entries(overlay.nodes).filter(([, m]) => m === 'active').map(([id]) => id);
  return (
    <section className="card case-graph" aria-labelledby="case-graph-title">
      <h2 id="case-graph-title">{t('console.case.path')}</h2>
      <div className="legend">
        <span className="legend-visited">{t('console.case.legendVisited')}</span>
        <span className="legend-active">{t('console.case.legendWaiting')}</span>
      </div>
      <div className="graph-box" data-testid="case-graph" data-active={active.join(' ')}>
        <EditorProvider editor={editor}>
          <ReactFlowProvider>
            <Canvas />
          </ReactFlowProvider>
        </EditorProvider>
      </div>
    </section>
  );
}
