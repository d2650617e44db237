import type { NodeKind } from '@flowpath/engine';
import { memo } from 'react';

/** Simple vector icons, so they render the same everywhere (no emoji font needed). */
const PATHS: Record<NodeKind, string> = {
  start: 'M8 5v14l11-7z',
  end: 'M6 6h12v12H6z',
  'user-task': 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3 0-8 1.5-8 4.5V20h16v-1.5c0-3-5-4.5-8-4.5z',
  'service-task':
    'M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7 7 0 0 0-1.7-1L15 3h-4l-.4 2.9a7 7 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7 7 0 0 0 1.7 1L11 21h4l.4-2.9a7 7 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z',
  'compliance-gate': 'M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5z',
  decision: 'M12 2l10 10-10 10L2 12z',
  'parallel-split': 'M12 2l10 10-10 10L2 12zm-1 5v4H7v2h4v4h2v-4h4v-2h-4V7z',
  'parallel-join': 'M12 2l10 10-10 10L2 12zm-5 9v2h10v-2z',
  wait: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 5v5.4l4 2.4-.8 1.3L11 13V7z',
  'sub-flow': 'M3 5h18v14H3zm2 2v10h14V7zm3 3h8v4H8z',
  'set-data': 'M4 4h16v4H4zm0 6h16v4H4zm0 6h10v4H4z',
};

export const KindIcon = memo(function KindIcon({ kind, colour, size = 16 }: { kind: NodeKind; colour: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} fill={colour} fillRule="evenodd" />
    </svg>
  );
});
