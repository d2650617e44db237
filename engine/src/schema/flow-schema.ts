/**
 * JSON Schema (draft 2020-12) of a FlowDefinition: the single source of truth for the format.
 * Node kinds contribute their own config schema (node-kinds/*.ts); this file assembles them.
 */
import { nodeKinds } from '../node-kinds';

export const FLOW_SCHEMA_ID = 'https://flowpath.dev/schema/flow-definition.json';

const id = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' } as const;

export const localizedTextSchema = {
  type: 'object',
  required: ['zh-CN', 'en'],
  properties: {
    'zh-CN': { type: 'string', maxLength: 500 },
    en: { type: 'string', maxLength: 500 },
  },
  additionalProperties: false,
} as const;

/** A json-logic rule: any JSON; its operations and limits are checked by validateRule. */
export const ruleSchema = {} as const;

export const slaSchema = {
  type: 'object',
  required: ['duration'],
  properties: {
    duration: { type: 'string', maxLength: 40 },
    mode: { enum: ['calendar', 'working'] },
    warnBefore: { type: 'string', maxLength: 40 },
    warnAt: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    escalations: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        required: ['action'],
        properties: {
          action: { enum: ['reassign', 'raise-priority', 'notify'] },
          queue: { type: 'string', minLength: 1, maxLength: 100 },
          to: { type: ['string', 'number'] },
          message: { $ref: '#/$defs/localizedText' },
        },
        additionalProperties: false,
        allOf: [
          { if: { properties: { action: { const: 'reassign' } } }, then: { required: ['queue'] } },
          { if: { properties: { action: { const: 'raise-priority' } } }, then: { required: ['to'], properties: { to: { type: 'integer', minimum: 0, maximum: 100 } } } },
          { if: { properties: { action: { const: 'notify' } } }, then: { required: ['to'], properties: { to: { type: 'string', minLength: 1 } } } },
        ],
      },
    },
  },
  additionalProperties: false,
} as const;

const caseFieldSchema = {
  type: 'object',
  properties: {
    type: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] },
    title: { $ref: '#/$defs/localizedText' },
    description: { type: 'string' },
    enum: { type: 'array' },
    format: { type: 'string' },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    maxLength: { type: 'integer', minimum: 0 },
    sensitive: { type: 'boolean' },
    dimension: { type: 'boolean' },
    customerRef: { type: 'boolean' },
    satisfaction: { enum: ['csat', 'nps'] },
    properties: { type: 'object', additionalProperties: { $ref: '#/$defs/caseField' } },
    required: { type: 'array', items: { type: 'string' } },
    items: { $ref: '#/$defs/caseField' },
  },
  additionalProperties: false,
} as const;

const nodeBaseProperties = {
  id,
  kind: { type: 'string' },
  kindVersion: { type: 'integer', minimum: 1 },
  name: { $ref: '#/$defs/localizedText' },
  description: { $ref: '#/$defs/localizedText' },
  position: {
    type: 'object',
    required: ['x', 'y'],
    properties: { x: { type: 'number' }, y: { type: 'number' } },
    additionalProperties: false,
  },
} as const;

/** Builds the node schema: common fields plus, per kind, the kind's own fields (no others). */
function nodeSchema() {
  return {
    type: 'object',
    required: ['id', 'kind', 'name'],
    properties: { ...nodeBaseProperties },
    allOf: nodeKinds.map((k) => ({
      if: { properties: { kind: { const: k.kind } }, required: ['kind'] },
      then: {
        required: k.required,
        properties: { ...nodeBaseProperties, kind: { const: k.kind }, ...k.properties },
        additionalProperties: false,
      },
    })),
  };
}

export const flowSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: FLOW_SCHEMA_ID,
  title: 'Flowpath flow definition',
  type: 'object',
  required: ['key', 'name', 'caseSchema', 'nodes', 'edges'],
  properties: {
    $schema: { type: 'string' },
    key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' },
    name: { $ref: '#/$defs/localizedText' },
    description: { $ref: '#/$defs/localizedText' },
    owner: { type: 'string', maxLength: 200 },
    tags: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 50 } },
    caseSchema: {
      type: 'object',
      required: ['type', 'properties'],
      properties: {
        type: { const: 'object' },
        properties: { type: 'object', additionalProperties: { $ref: '#/$defs/caseField' } },
        required: { type: 'array', items: { type: 'string' } },
      },
      additionalProperties: false,
    },
    calendar: { type: 'string', maxLength: 64 },
    priority: { $ref: '#/$defs/priority' },
    sla: { $ref: '#/$defs/sla' },
    milestones: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['id', 'name', 'to'],
        properties: {
          id,
          name: { $ref: '#/$defs/localizedText' },
          from: { type: 'string' },
          to: { type: 'string' },
          target: { type: 'string', maxLength: 40 },
          mode: { enum: ['calendar', 'working'] },
        },
        additionalProperties: false,
      },
    },
    nodes: { type: 'array', maxItems: 2000, items: { $ref: '#/$defs/node' } },
    edges: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        required: ['id', 'source', 'target'],
        properties: {
          id,
          source: { type: 'string' },
          target: { type: 'string' },
          name: { $ref: '#/$defs/localizedText' },
          condition: ruleSchema,
          default: { type: 'boolean' },
          order: { type: 'integer' },
          port: { enum: ['extra', 'timeout', 'error'] },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
  $defs: {
    localizedText: localizedTextSchema,
    sla: slaSchema,
    caseField: caseFieldSchema,
    priority: {
      oneOf: [
        { type: 'integer', minimum: 0, maximum: 100 },
        { type: 'object', required: ['rule'], properties: { rule: ruleSchema }, additionalProperties: false },
      ],
    },
    node: nodeSchema(),
  },
} as const;
