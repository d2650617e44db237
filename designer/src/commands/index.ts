import type { FlowDefinition } from '@flowpath/engine';
import { edgeConnect, type EdgeConnectParams } from './edge-connect';
import { edgeReconnect, type EdgeReconnectParams } from './edge-reconnect';
import { edgeUpdate, type EdgeUpdateParams } from './edge-update';
import { elementRemove, type ElementRemoveParams } from './element-remove';
import { fieldAdd, type FieldAddParams } from './field-add';
import { fieldRemove, type FieldRemoveParams } from './field-remove';
import { fieldUpdate, type FieldUpdateParams } from './field-update';
import { flowUpdate, type FlowUpdateParams } from './flow-update';
import { fragmentPaste, type FragmentPasteParams } from './fragment-paste';
import { layoutApply, type LayoutApplyParams } from './layout-apply';
import { nodeAdd, type NodeAddParams } from './node-add';
import { nodeMove, type NodeMoveParams } from './node-move';
import { nodeUpdate, type NodeUpdateParams } from './node-update';
import { ruleSet, type RuleSetParams } from './rule-set';

/** Every command by its `noun.verb` name, with its params. */
export interface CommandParams {
  'node.add': NodeAddParams;
  'node.move': NodeMoveParams;
  'node.update': NodeUpdateParams;
  'element.remove': ElementRemoveParams;
  'edge.connect': EdgeConnectParams;
  'edge.reconnect': EdgeReconnectParams;
  'edge.update': EdgeUpdateParams;
  'rule.set': RuleSetParams;
  'fragment.paste': FragmentPasteParams;
  'layout.apply': LayoutApplyParams;
  'flow.update': FlowUpdateParams;
  'field.add': FieldAddParams;
  'field.update': FieldUpdateParams;
  'field.remove': FieldRemoveParams;
}

export type CommandName = keyof CommandParams;

export const COMMANDS: { readonly [N in CommandName]: (doc: FlowDefinition, params: CommandParams[N]) => FlowDefinition } = {
  'node.add': nodeAdd,
  'node.move': nodeMove,
  'node.update': nodeUpdate,
  'element.remove': elementRemove,
  'edge.connect': edgeConnect,
  'edge.reconnect': edgeReconnect,
  'edge.update': edgeUpdate,
  'rule.set': ruleSet,
  'fragment.paste': fragmentPaste,
  'layout.apply': layoutApply,
  'flow.update': flowUpdate,
  'field.add': fieldAdd,
  'field.update': fieldUpdate,
  'field.remove': fieldRemove,
};
