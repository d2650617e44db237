import type { Position } from '@flowpath/engine';
import { moveNodes } from './node-move';
import type { Command } from './types';

export interface LayoutApplyParams {
  positions: Record<string, Position>;
}

/** `layout.apply`: places every node where the automatic layout put it, as one undoable step. */
export const layoutApply: Command<LayoutApplyParams> = (doc, { positions }) => moveNodes(doc, positions);
