import type { NodeKind } from '@flowpath/engine';
import { useReactFlow } from '@xyflow/react';
import type { DragEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PALETTE_MIME } from '../canvas/Canvas';
import { KindIcon } from '../canvas/nodes/KindIcon';
import { KINDS } from '../model/kinds';
import { useEditor } from '../store/context';

/**
 * Every node kind, dragged onto the canvas. Enter or a double click adds the node in the
 * middle of the view, for keyboard users.
 */
export function Palette() {
  const { t } = useTranslation();
  const editor = useEditor();
  const flow = useReactFlow();

  const addAtCentre = (kind: NodeKind) => {
    const el = document.querySelector('.canvas');
    const rect = el?.getBoundingClientRect();
    const centre = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    editor.addNode(kind, { x: centre.x - 90, y: centre.y - 32 });
  };

  return (
    <nav className="palette" aria-label={t('palette.title')}>
      <h2>{t('palette.title')}</h2>
      <ul>
        {KINDS.map((k) => (
          <li key={k.kind}>
            <div
              role="button"
              tabIndex={0}
              draggable
              className="palette-item"
              data-testid={`palette-${k.kind}`}
              aria-label={t('palette.add', { kind: t(`kinds.${k.kind}`) })}
              title={t(`kindHints.${k.kind}`)}
              onDragStart={(e: DragEvent) => {
                e.dataTransfer.setData(PALETTE_MIME, k.kind);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onDoubleClick={() => addAtCentre(k.kind)}
              onKeyDown={(e: KeyboardEvent) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  addAtCentre(k.kind);
                }
              }}
            >
              <KindIcon kind={k.kind} colour={k.colour} size={18} />
              <span>{t(`kinds.${k.kind}`)}</span>
            </div>
          </li>
        ))}
      </ul>
      <p className="hint">{t('palette.hint')}</p>
    </nav>
  );
}
