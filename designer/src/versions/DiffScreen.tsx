import type { FlowDefinition } from '@flowpath/engine';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Canvas } from '../canvas/Canvas';
import { asLang } from '../i18n';
import { EditorProvider } from '../store/context';
import { createEditor } from '../store/editor';
import { createEditorStore } from '../store/editor-store';
import { diffView } from './diff-overlay';

/** Two versions on one read-only canvas, with the list of what changed beside it. */
export function DiffScreen({ from, to, fromLabel, toLabel, onClose }: { from: FlowDefinition; to: FlowDefinition; fromLabel: string; toLabel: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const view = useMemo(() => diffView(from, to), [from, to]);
  // Its own store: the diff never touches the draft being edited.
  const editor = useMemo(() => {
    const store = createEditorStore(view.doc, { readOnly: true });
    store.getState().setOverlay(view.overlay);
    return createEditor(store);
  }, [view]);
  // Focus moves into the dialog when it opens (so Escape closes it at once) and back when it closes.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => previous?.focus?.();
  }, []);
  const name = (id: string) => view.doc.nodes.find((n) => n.id === id)?.name[lang] ?? id;
  const { diff } = view;
  const nothing = diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.edges.added.length + diff.edges.removed.length + diff.edges.changed.length + diff.rules.length + diff.flow.length === 0;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className="diff-screen"
      role="dialog"
      aria-modal="true"
      aria-label={t('diff.title', { from: fromLabel, to: toLabel })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="toolbar">
        <h1>{t('diff.title', { from: fromLabel, to: toLabel })}</h1>
        <div className="legend" aria-label={t('diff.legend')}>
          <span className="added">{t('diff.added')}</span>
          <span className="removed">{t('diff.removed')}</span>
          <span className="changed">{t('diff.changed')}</span>
        </div>
        <button type="button" onClick={onClose} style={{ marginLeft: 'auto' }}>
          {t('app.close')}
        </button>
      </div>
      <div className="diff-body">
        <EditorProvider editor={editor}>
          <ReactFlowProvider>
            <Canvas />
          </ReactFlowProvider>
        </EditorProvider>
        <section className="diff-changes" aria-label={t('diff.changes')}>
          <h2>{t('diff.changes')}</h2>
          {nothing && <p>{t('diff.nothing')}</p>}
          <ul>
            {diff.nodes.added.map((n) => (
              <li key={`na-${n.id}`}>{t('diff.nodeAdded', { name: name(n.id) })}</li>
            ))}
            {diff.nodes.removed.map((n) => (
              <li key={`nr-${n.id}`}>{t('diff.nodeRemoved', { name: name(n.id) })}</li>
            ))}
            {diff.nodes.changed.map((c) => (
              <li key={`nc-${c.id}`}>{t('diff.nodeChanged', { name: name(c.id), fields: c.fields.join(', ') })}</li>
            ))}
            {diff.edges.added.map((e) => (
              <li key={`ea-${e.id}`}>{t('diff.edgeAdded', { from: name(e.source), to: name(e.target) })}</li>
            ))}
            {diff.edges.removed.map((e) => (
              <li key={`er-${e.id}`}>{t('diff.edgeRemoved', { from: name(e.source), to: name(e.target) })}</li>
            ))}
            {diff.edges.changed.map((c) => (
              <li key={`ec-${c.id}`}>{t('diff.edgeChanged', { from: name(c.after.source), to: name(c.after.target), fields: c.fields.join(', ') })}</li>
            ))}
            {diff.rules.map((r) => (
              <li key={`r-${r.location}`}>
                {t(`diff.rule.${r.change}`, { where: r.location })}
                {r.change === 'changed' && (
                  <details>
                    <summary>{t('diff.showRule')}</summary>
                    <pre>{JSON.stringify(r.before)}</pre>
                    <pre>{JSON.stringify(r.after)}</pre>
                  </details>
                )}
              </li>
            ))}
            {diff.flow.map((f) => (
              <li key={`f-${f}`}>{t('diff.flowField', { field: f })}</li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
