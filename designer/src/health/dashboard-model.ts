/** What the dashboard derives from a flow's definition and its report, kept out of the components so it is tested alone. */
import type { FlowDefinition, LocalizedText } from '@flowpath/engine';
import type { Lang } from '../i18n';
import type { HealthQuery } from './types';

/** The selectors of the dashboard. Empty dates mean an open end. */
export interface DashboardSelection {
  from: string;
  to: string;
  /** 0 = every version. */
  version: number;
  basis: 'ended' | 'started';
  /** '' = no grouping. */
  groupBy: string;
}

export const INITIAL_SELECTION: DashboardSelection = { from: '', to: '', version: 0, basis: 'ended', groupBy: '' };

/** The API query of a selection. */
export function selectionQuery(s: DashboardSelection, withGroup = true): HealthQuery {
  return {
    ...(s.from ? { from: s.from } : {}),
    ...(s.to ? { to: s.to } : {}),
    ...(s.version > 0 ? { versions: [s.version] } : {}),
    basis: s.basis,
    ...(withGroup && s.groupBy ? { groupBy: s.groupBy } : {}),
  };
}

/** Case-schema fields marked as dimensions (top level), with their titles: what `groupBy` and filters accept beside version, status and outcome. */
export function dimensionsOf(def: FlowDefinition | null): { path: string; title?: LocalizedText }[] {
  if (!def) return [];
  return Object.entries(def.caseSchema.properties)
    .filter(([, f]) => f.dimension === true && f.sensitive !== true)
    .map(([path, f]) => ({ path, ...(f.title ? { title: f.title } : {}) }));
}

/** A name in the UI language, else the id. */
export function localName(name: LocalizedText | undefined, id: string, lang: Lang): string {
  return name?.[lang] || name?.en || name?.['zh-CN'] || id;
}
