import type { FlowDefinition } from '@flowpath/engine';
import { applyPatch, type Command } from './types';

export type FlowPatch = Partial<Pick<FlowDefinition, 'name' | 'description' | 'owner' | 'tags' | 'calendar' | 'priority' | 'sla' | 'milestones'>>;

export interface FlowUpdateParams {
  patch: FlowPatch;
}

/** `flow.update`: changes flow-level settings. The key, nodes, edges and schema have their own commands. */
export const flowUpdate: Command<FlowUpdateParams> = (doc, { patch }) =>
  applyPatch(doc, patch, ['key', 'nodes', 'edges', 'caseSchema', '$schema']);
