import { routeHref } from '../app/router';
import { useHealthT } from './i18n';

/** A link to a flow's process-health dashboard (or straight to its heatmap), for the flow list and the editor. */
export function HealthLink({ flowKey, flowName, view = 'figures', confirmLeave }: { flowKey: string; flowName?: string; view?: 'figures' | 'heatmap'; confirmLeave?: string }) {
  const { tr } = useHealthT();
  const text = tr(view === 'heatmap' ? 'link.heatmap' : 'link.health');
  return (
    <a href={routeHref({ screen: 'health', key: flowKey, ...(view === 'heatmap' ? { view } : {}) })} aria-label={flowName ? `${text} ${flowName}` : undefined} data-testid={`health-link-${view}`}
      onClick={(e) => {
        if (confirmLeave && !window.confirm(confirmLeave)) e.preventDefault();
      }}
    >
      {text}
    </a>
  );
}
