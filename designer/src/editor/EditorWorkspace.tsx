import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemView } from '../app/ProblemView';
import { HealthLink } from '../health/HealthLink';
import { hasRole, useMe } from '../auth/use-me';
import { Canvas } from '../canvas/Canvas';
import { useShortcuts } from '../canvas/use-shortcuts';
import type { ConnectRefusal } from '../commands/can';
import { asLang } from '../i18n';
import { Palette } from '../palette/Palette';
import { ProblemsPanel } from '../problems/ProblemsPanel';
import { useEditor, useEditorState } from '../store/context';
import { ConflictDialog } from './ConflictDialog';
import { PublishDialog } from './PublishDialog';
import { SidePanel } from './SidePanel';
import { useDraftIo } from './use-draft-io';

/** The editor's screen: toolbar, palette, canvas, side panel and problems. */
export function EditorWorkspace({ flowKey }: { flowKey: string }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const flow = useReactFlow();
  const name = useEditorState((s) => s.doc.name);
  const dirty = useEditorState((s) => s.doc !== s.saved);
  const revision = useEditorState((s) => s.revision);
  const lastUndo = useEditorState((s) => s.past[s.past.length - 1]?.command);
  const lastRedo = useEditorState((s) => s.future[s.future.length - 1]?.command);
  const hasSelection = useEditorState((s) => s.selection.nodes.length + s.selection.edges.length > 0);
  const hasClipboard = useEditorState((s) => (s.clipboard?.nodes.length ?? 0) > 0);
  const hasErrors = useEditorState((s) => s.issues.some((i) => i.severity === 'error'));
  const io = useDraftIo(flowKey, editor.store);
  const me = useMe();
  const mayPublish = hasRole(me, 'owner');
  const mayEdit = hasRole(me, 'analyst') || hasRole(me, 'owner');
  const [notice, setNotice] = useState<string | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const [layingOut, setLayingOut] = useState(false);

  useShortcuts(editor);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const onRefused = useCallback((reason: ConnectRefusal) => setNotice(t(`connect.refused.${reason}`)), [t]);

  const layout = async () => {
    setLayingOut(true);
    try {
      if (await editor.autoLayout()) window.requestAnimationFrame(() => void flow.fitView({ duration: 300 }));
    } finally {
      setLayingOut(false);
    }
  };

  return (
    <div className="editor">
      <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        <a
          href="#/flows"
          onClick={(e) => {
            if (dirty && !window.confirm(t('editor.leaveUnsaved'))) e.preventDefault();
          }}
        >
          ← {t('editor.backToFlows')}
        </a>
        <h1 className="flow-title">
          {name[lang]} <code>{flowKey}</code>
        </h1>
        <HealthLink flowKey={flowKey} {...(dirty ? { confirmLeave: t('editor.leaveUnsaved') } : {})} />
        <HealthLink flowKey={flowKey} view="heatmap" {...(dirty ? { confirmLeave: t('editor.leaveUnsaved') } : {})} />
        <button type="button" onClick={() => editor.undo()} disabled={!lastUndo} title={lastUndo ? t('editor.undoWhat', { what: t(`commands.${lastUndo}`) }) : undefined}>
          {t('editor.undo')}
        </button>
        <button type="button" onClick={() => editor.redo()} disabled={!lastRedo} title={lastRedo ? t('editor.redoWhat', { what: t(`commands.${lastRedo}`) }) : undefined}>
          {t('editor.redo')}
        </button>
        <button type="button" onClick={() => editor.copy()} disabled={!hasSelection}>
          {t('editor.copy')}
        </button>
        <button type="button" onClick={() => editor.paste()} disabled={!hasClipboard}>
          {t('editor.paste')}
        </button>
        <button type="button" onClick={() => editor.deleteSelection()} disabled={!hasSelection}>
          {t('editor.delete')}
        </button>
        <button type="button" onClick={() => void layout()} disabled={layingOut}>
          {t('editor.layout')}
        </button>
        <button type="button" onClick={() => void flow.fitView({ duration: 300 })}>
          {t('editor.fit')}
        </button>
        <span className="save-state" role="status">
          {io.saving ? t('editor.saving') : dirty ? t('editor.unsaved') : revision === null ? t('editor.neverSaved') : t('editor.saved', { revision })}
        </span>
        <button type="button" className="primary" onClick={() => void io.save()} disabled={!mayEdit || io.saving || (!dirty && revision !== null)} title={mayEdit ? undefined : t('editor.needsAnalyst')}>
          {t('editor.save')}
        </button>
        <button
          type="button"
          disabled={!mayPublish}
          title={mayPublish ? undefined : t('editor.needsOwner')}
          onClick={() => {
            io.clearPublishProblem();
            setPublishOpen(true);
          }}
        >
          {t('editor.publish')}
        </button>
      </div>
      <div aria-live="polite" className="notice">
        {notice}
      </div>
      {io.problem && <ProblemView problem={io.problem} onDismiss={io.clearProblem} />}
      <div className="workspace">
        <Palette />
        <Canvas onRefused={onRefused} />
        <SidePanel flowKey={flowKey} onNotice={setNotice} />
      </div>
      <ProblemsPanel />
      {io.conflict && (
        <ConflictDialog
          theirRevision={io.conflict.theirRevision}
          onCancel={io.cancelConflict}
          onReload={() => void io.reloadTheirs()}
          onOverwrite={() => void io.overwrite()}
        />
      )}
      {publishOpen && (
        <PublishDialog
          busy={io.publishing}
          problem={io.publishProblem}
          hasErrors={hasErrors}
          onClose={() => setPublishOpen(false)}
          onPublish={(note, setDefault) =>
            void io.publish(note, setDefault).then((v) => {
              if (v) {
                setPublishOpen(false);
                setNotice(t('publish.done', { version: v.version }));
              }
            })
          }
        />
      )}
    </div>
  );
}
