import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PropertyPanel } from '../panels/PropertyPanel';

type Tab = 'properties';

/** Tabs beside the canvas. */
export function SidePanel(_: { flowKey: string; onNotice: (text: string) => void }) {
  const { t } = useTranslation();
  const [tab] = useState<Tab>('properties');
  return (
    <aside className="side-panel" aria-label={t('editor.tabs')}>
      {tab === 'properties' && <PropertyPanel />}
    </aside>
  );
}
