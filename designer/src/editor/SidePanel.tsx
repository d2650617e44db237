import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FlowPanel } from '../panels/FlowPanel';
import { PropertyPanel } from '../panels/PropertyPanel';
import { TestRunPanel } from '../run/TestRunPanel';
import { CaseSchemaEditor } from '../schema/CaseSchemaEditor';
import { useEditorState } from '../store/context';
import { VersionsPanel } from '../versions/VersionsPanel';

const TABS = ['properties', 'schema', 'flow', 'versions', 'run'] as const;
type Tab = (typeof TABS)[number];

/** Tabs beside the canvas: properties, case data, flow settings, versions, test run. */
export function SidePanel({ flowKey, onNotice }: { flowKey: string; onNotice: (text: string) => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('properties');
  // What is selected, as one comparable string: picking another node must count, not only the first pick.
  const selected = useEditorState((s) => [...s.selection.nodes, '|', ...s.selection.edges].join(' '));
  // Selecting something on the canvas brings the properties forward (unless a run is on).
  const [lastSelection, setLastSelection] = useState(selected);
  if (selected !== lastSelection) {
    setLastSelection(selected);
    if (selected !== '|' && tab !== 'run' && tab !== 'properties') setTab('properties');
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    if (e.key === 'ArrowRight') setTab(TABS[(i + 1) % TABS.length]!);
    else if (e.key === 'ArrowLeft') setTab(TABS[(i + TABS.length - 1) % TABS.length]!);
  };
  return (
    <aside className="side-panel" aria-label={t('editor.tabs')}>
      <div role="tablist" className="tabs" aria-label={t('editor.tabs')} onKeyDown={onKeyDown}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`tabpanel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            {t(`editor.tab.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-body">
        {tab === 'properties' && <PropertyPanel />}
        {tab === 'schema' && <CaseSchemaEditor />}
        {tab === 'flow' && <FlowPanel />}
        {tab === 'versions' && <VersionsPanel flowKey={flowKey} onNotice={onNotice} />}
        {tab === 'run' && <TestRunPanel />}
      </div>
    </aside>
  );
}
