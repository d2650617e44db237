/**
 * Named JSON Schemas of the API (OpenAPI `components.schemas`). Request schemas here are what
 * ajv enforces; response schemas are what the tests hold responses to.
 */
import { flowSchema } from '@flowpath/engine';
import type { JsonSchema } from './route';

/** `{ $ref }` to a component schema. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
const time: JsonSchema = { type: 'string', format: 'date-time' };
const int = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties), extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
const arr = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
const anyObject: JsonSchema = { type: 'object' };

export const FLOW_KEY_PATTERN = '^[a-z][a-z0-9-]{1,63}$';
export const NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,99}$';

/** The engine's flow schema with its `$defs` moved to components (`Flow_<name>`), so refs resolve inside the OpenAPI document. */
function flowComponents(): Record<string, JsonSchema> {
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')) out[k] = `#/components/schemas/Flow_${x.slice('#/$defs/'.length)}`;
        else out[k] = rewrite(x);
      }
      return out;
    }
    return v;
  };
  const { $defs, $schema: _s, $id: _i, ...root } = flowSchema as unknown as Record<string, unknown> & { $defs: Record<string, unknown> };
  const out: Record<string, JsonSchema> = { FlowDefinition: rewrite(root) as JsonSchema };
  for (const [name, def] of Object.entries($defs)) out[`Flow_${name}`] = rewrite(def) as JsonSchema;
  return out;
}

const issue = obj(
  {
    code: str({ description: 'Stable dotted code, e.g. `edge.target.missing`.' }),
    severity: { enum: ['error', 'warning'] },
    path: str({ description: 'JSON Pointer into the flow definition.' }),
    params: anyObject,
    nodeId: str(),
    edgeId: str(),
    message: str({ description: 'The issue in the language asked for with `Accept-Language` (zh-CN or en).' }),
  },
  ['code', 'severity', 'path', 'params', 'message'],
);

const taskView = obj(
  {
    id: str({ format: 'uuid' }),
    caseId: str({ format: 'uuid' }),
    flow: str(),
    version: int({ minimum: 0, description: 'The flow version the case runs on (0 for a task older than this field whose case is gone).' }),
    customerRef: nullable(str({ description: 'The case\'s customer reference when the task opened; masked when the caller may not see the field it comes from.' })),
    branch: nullable(str({ description: 'The case\'s branch when the task opened.' })),
    channel: nullable(str({ description: 'The case\'s channel (a top-level case field `channel`) when the task opened.' })),
    nodeId: str(),
    name: ref('LocalizedText'),
    queue: str(),
    roles: arr(str()),
    priority: int({ minimum: 0, maximum: 100 }),
    form: arr(anyObject, { description: 'Form fields (FormField of the flow model).' }),
    dueAt: nullable(time),
    warnAt: nullable(time),
    sla: { enum: ['none', 'ok', 'warning', 'breached'], description: 'Where the task stands against its time limit now.' },
    status: { enum: ['open', 'claimed', 'completed', 'cancelled'] },
    assignee: nullable(str()),
    completedBy: nullable(str()),
    createdAt: time,
    updatedAt: time,
    closedAt: nullable(time),
  },
);

const caseSummary = obj({
  id: str({ format: 'uuid' }),
  flow: str(),
  version: int({ minimum: 1 }),
  status: { enum: ['waiting', 'completed', 'terminated', 'cancelled'] },
  outcome: nullable(str()),
  priority: int(),
  customerRef: nullable(str({ description: 'Masked when the caller may not see the field it comes from.' })),
  branch: nullable(str()),
  waitingAt: arr(str(), { description: 'Node ids where the case waits.' }),
  breached: { type: 'boolean' },
  openIncidents: int({ minimum: 0 }),
  createdBy: str(),
  createdAt: time,
  updatedAt: time,
});

const auditEntry = obj(
  {
    seq: int({ minimum: 1 }),
    at: time,
    actor: nullable(str()),
    type: str({ description: 'What happened: case.started, task.completed, gate.evaluated, task.claimed, draft.saved...' }),
    nodeId: str(),
    tokenId: str(),
    version: int(),
    details: anyObject,
    rules: arr(anyObject, { description: 'Rules evaluated, with the values they read and their result.' }),
    hash: str({ pattern: '^[0-9a-f]{64}$' }),
    prevHash: str({ pattern: '^[0-9a-f]{64}$' }),
  },
  ['seq', 'at', 'actor', 'type', 'details', 'hash', 'prevHash'],
);

const releasePolicyBody = {
  defaultVersion: int({ minimum: 1 }),
  pilots: arr(
    obj(
      {
        id: str({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Stable id of the pilot; given one (p1, p2...) when absent.' }),
        name: str({ maxLength: 200 }),
        when: { description: 'json-logic over the new case data, e.g. {"in":[{"var":"branch"},["sh-pudong","js-kunshan"]]}.' },
        version: int({ minimum: 1 }),
      },
      ['when', 'version'],
    ),
    { maxItems: 20 },
  ),
  split: nullable(
    obj(
      {
        version: int({ minimum: 1 }),
        percent: { type: 'number', minimum: 0, maximum: 100 },
        by: { enum: ['customerRef', 'caseId'], description: 'What the stable hash is taken of (default customerRef, falling back to the case id).' },
      },
      ['version', 'percent'],
    ),
  ),
};

const listEntryInput = {
  anyOf: [
    str({ minLength: 1, maxLength: 200 }),
    obj({ value: str({ minLength: 1, maxLength: 200 }), note: str({ maxLength: 500 }) }, ['value']),
  ],
};

/** Limits on lists, also stated in the schemas. */
export const MAX_LIST_ENTRIES = 100_000;
export const MAX_ENTRIES_PER_CALL = 10_000;

export const components: Record<string, JsonSchema> = {
  ...flowComponents(),
  LocalizedText: obj({ 'zh-CN': str(), en: str() }),
  ProblemError: obj(
    { path: str({ description: 'JSON Pointer of the bad field.' }), code: str(), message: str(), params: anyObject, in: { enum: ['body', 'query', 'path', 'header'] } },
    ['path', 'code', 'message'],
  ),
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: str({ format: 'uri' }),
      title: str(),
      status: int(),
      detail: str(),
      code: str({ description: 'Stable, dotted: switch on this, never on the text.' }),
      instance: str(),
      requestId: str(),
      errors: arr(ref('ProblemError')),
      issues: arr(ref('Issue')),
    },
  },
  Issue: issue,
  FlowSummary: obj({
    key: str(),
    name: { description: 'The draft name (LocalizedText).' },
    owner: nullable(str()),
    draftRevision: int({ minimum: 1 }),
    latestVersion: nullable(int()),
    defaultVersion: nullable(int()),
    updatedAt: time,
    updatedBy: str(),
    draft: obj({
      revision: int({ minimum: 1 }),
      updatedAt: time,
      updatedBy: str(),
      changed: { type: 'boolean', description: 'The draft differs from the latest published version (or nothing is published yet).' },
    }),
    pilots: arr(obj({ id: str(), name: str(), version: int({ minimum: 1 }) }, ['id', 'version']), { description: 'Pilots the release policy runs now.' }),
  }),
  FlowList: obj({ items: arr(ref('FlowSummary')) }),
  NewFlow: {
    description: 'A FlowDefinition (may be incomplete, but its `key` is required), wrapped as `{"definition": ...}` or sent bare.',
    anyOf: [obj({ definition: { type: 'object' } }), { type: 'object', not: { required: ['definition'] } }],
  },
  DraftInput: {
    description: 'A FlowDefinition (may be incomplete while being edited), wrapped as `{"definition": ...}` or sent bare.',
    anyOf: [obj({ definition: { type: 'object' } }), { type: 'object', not: { required: ['definition'] } }],
  },
  Draft: obj({
    key: str(),
    revision: int({ minimum: 1 }),
    definition: { type: 'object', description: 'The draft FlowDefinition (see FlowDefinition; may not be valid yet).' },
    owner: nullable(str()),
    createdBy: str(),
    createdAt: time,
    updatedBy: str(),
    updatedAt: time,
    issues: arr(ref('Issue'), { description: 'What validation finds in the draft now; saving never refuses an incomplete draft.' }),
  }),
  ValidateInput: {
    description: 'Optional: a FlowDefinition to validate instead of the stored draft, wrapped as `{"definition": ...}` or sent bare.',
    anyOf: [obj({ definition: { type: 'object' } }), { type: 'object', not: { required: ['definition'] } }],
  },
  ValidationResult: obj({ valid: { type: 'boolean' }, issues: arr(ref('Issue')) }),
  PublishInput: obj(
    {
      note: str({ maxLength: 2000 }),
      revision: int({ minimum: 1, description: 'Publish only if the draft is still at this revision.' }),
      setDefault: { type: 'boolean', description: 'Also make this the default version for new cases.' },
    },
    [],
  ),
  FlowVersionMeta: obj(
    { key: str(), version: int({ minimum: 1 }), hash: str({ pattern: '^[0-9a-f]{64}$' }), author: str(), publishedBy: str(), publishedAt: time, note: str() },
    ['key', 'version', 'hash', 'publishedAt'],
  ),
  FlowVersion: obj(
    {
      key: str(),
      version: int({ minimum: 1 }),
      hash: str({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the canonical JSON of the definition.' }),
      author: str(),
      publishedBy: str(),
      publishedAt: time,
      note: str(),
      definition: ref('FlowDefinition'),
    },
    ['key', 'version', 'hash', 'publishedAt', 'definition'],
  ),
  FlowVersionList: obj({ items: arr(ref('FlowVersionMeta')) }),
  FlowDiff: {
    type: 'object',
    required: ['from', 'to', 'nodes', 'edges', 'rules', 'flow'],
    properties: {
      from: { anyOf: [int(), { const: 'draft' }] },
      to: { anyOf: [int(), { const: 'draft' }] },
      nodes: obj({ added: arr(anyObject), removed: arr(anyObject), changed: arr(anyObject) }),
      edges: obj({ added: arr(anyObject), removed: arr(anyObject), changed: arr(anyObject) }),
      rules: arr(anyObject),
      flow: arr(str()),
    },
  },
  ReleasePolicyInput: obj(releasePolicyBody, ['defaultVersion']),
  ReleasePolicy: obj({ flowKey: str(), ...releasePolicyBody, revision: int({ minimum: 0 }), updatedBy: nullable(str()), updatedAt: nullable(time) }),
  StartCase: obj(
    {
      flow: str({ pattern: FLOW_KEY_PATTERN }),
      data: { type: 'object', description: 'Case data, checked against the flow version\'s case schema.' },
      version: int({ minimum: 1, description: 'Start on this version instead of the release policy\'s choice (owner and admin only).' }),
    },
    ['flow', 'data'],
  ),
  CaseSummary: caseSummary,
  CaseList: obj({ items: arr(ref('CaseSummary')), nextCursor: nullable(str()) }),
  Case: obj(
    {
      ...(caseSummary.properties as Record<string, JsonSchema>),
      data: { type: 'object' },
      masked: { type: 'boolean', description: 'True when sensitive fields were masked for this caller.' },
      waits: arr(
        obj(
          { nodeId: str(), tokenId: str(), type: { enum: ['task', 'message', 'timer', 'service', 'incident', 'sub-flow', 'join'] }, since: time, taskId: str(), message: str(), timerId: str(), incidentId: str() },
          ['nodeId', 'tokenId', 'type', 'since'],
        ),
      ),
      tasks: arr(ref('Task'), { description: 'Open and claimed tasks.' }),
      sla: arr(anyObject, { description: 'SLA clocks: scope, node, start, warn and due times, warned/breached.' }),
      breaches: arr(str()),
      flags: arr(anyObject),
      incidents: arr(anyObject),
      history: arr(obj({ seq: int(), at: time, type: str(), nodeId: nullable(str()), actor: nullable(str()) }), {
        description: 'The latest 500 audit entries in brief (type, time, node, actor); GET /api/cases/{id}/audit has all of them in full.',
      }),
      parentCaseId: nullable(str()),
      startedAt: time,
      endedAt: nullable(time),
    },
  ),
  Message: obj({ name: str({ minLength: 1, maxLength: 100 }), data: { type: 'object' } }, ['name']),
  CancelCase: obj({ reason: str({ maxLength: 1000 }) }, []),
  Task: taskView,
  TaskList: obj({ items: arr(ref('Task')), nextCursor: nullable(str()) }),
  CompleteTask: obj({ data: { type: 'object', description: 'Values for the form fields, by field key (dotted case-data path).' } }, ['data']),
  ReassignTask: obj(
    {
      queue: str({ minLength: 1, maxLength: 100 }),
      assignee: nullable(str({ minLength: 1, maxLength: 100 })),
      reason: str({ minLength: 1, maxLength: 1000, description: 'Why the task moves; recorded in the audit trail (trimmed).' }),
    },
    [],
    { anyOf: [{ required: ['queue'] }, { required: ['assignee'] }] },
  ),
  QueueOperators: obj({
    queue: str(),
    items: arr(obj({ name: str({ description: 'The key name, as `assignee` takes it.' }), roles: arr(str(), { description: 'Product and business roles of the key.' }) }), {
      description: 'Operators who work the queue (by its name or `*`), by name.',
    }),
  }),
  Timer: obj({
    timerId: str(),
    purpose: { enum: ['sla.warn', 'sla.breach', 'wait.timer', 'service.retry'] },
    nodeId: nullable(str()),
    dueAt: time,
    status: { enum: ['scheduled', 'fired', 'cancelled', 'stale', 'failed'] },
    firedAt: nullable(time),
    attempts: int(),
    lastError: nullable(str()),
  }),
  TimerList: obj({ items: arr(ref('Timer')) }),
  CaseEvent: obj({
    id: str(),
    kind: { enum: ['service.call', 'sub-flow.start', 'sub-flow.cancel', 'sub-flow.ended', 'event', 'notify'] },
    payload: anyObject,
    status: { enum: ['pending', 'done', 'failed'] },
    attempts: int(),
    lastError: nullable(str()),
    createdAt: time,
    doneAt: nullable(time),
  }),
  CaseEventList: obj({ items: arr(ref('CaseEvent')) }),
  AuditEntry: auditEntry,
  AuditList: obj({ stream: str(), items: arr(ref('AuditEntry')), nextCursor: nullable(str()) }),
  AuditVerification: obj(
    {
      stream: str(),
      caseId: str(),
      ok: { type: 'boolean' },
      entries: int({ minimum: 0 }),
      firstBroken: obj({ seq: int(), reason: { enum: ['seq.gap', 'prev.mismatch', 'hash.mismatch', 'head.mismatch', 'entry.unreadable'] } }),
    },
    ['stream', 'ok', 'entries'],
  ),
  ListSummary: obj({
    name: str(),
    kind: { enum: ['whitelist', 'blacklist', 'other'] },
    description: nullable(str()),
    size: int({ minimum: 0 }),
    revision: int({ minimum: 1 }),
    updatedBy: str(),
    updatedAt: time,
  }),
  ListIndex: obj({ items: arr(ref('ListSummary')) }),
  List: obj({
    name: str(),
    kind: { enum: ['whitelist', 'blacklist', 'other'] },
    description: nullable(str()),
    size: int({ minimum: 0 }),
    revision: int({ minimum: 1 }),
    updatedBy: str(),
    updatedAt: time,
    entries: arr(obj({ value: str(), note: nullable(str()), addedBy: str(), addedAt: time })),
  }),
  PutList: obj(
    {
      kind: { enum: ['whitelist', 'blacklist', 'other'] },
      description: str({ maxLength: 500 }),
      entries: arr(listEntryInput, { maxItems: MAX_LIST_ENTRIES }),
    },
    ['kind'],
  ),
  ListEntries: obj({ values: arr(listEntryInput, { minItems: 1, maxItems: MAX_ENTRIES_PER_CALL }) }),
  ListValues: obj({ values: arr(str({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: MAX_ENTRIES_PER_CALL }) }),
  Calendar: {
    type: 'object',
    description: 'A BusinessCalendar: working weekdays and hours, holidays and make-up working days.',
    required: ['id', 'name', 'utcOffset', 'weekdays', 'workingHours', 'holidays', 'workdays'],
    properties: {
      id: str(),
      name: ref('LocalizedText'),
      utcOffset: str({ examples: ['+08:00'] }),
      weekdays: arr(int({ minimum: 1, maximum: 7 })),
      workingHours: arr(obj({ start: str(), end: str() })),
      holidays: arr(str()),
      workdays: arr(str()),
      years: arr(str()),
      provisional: arr(str()),
    },
  },
  CalendarRecord: obj({ id: str(), revision: int({ minimum: 0 }), updatedBy: nullable(str()), updatedAt: nullable(time), calendar: ref('Calendar') }),
  CalendarList: obj({ items: arr(ref('CalendarRecord')) }),
  ConnectorList: obj({ items: arr(obj({ name: str(), description: str() })) }),
  Health: obj({
    status: { enum: ['ok', 'degraded'] },
    store: obj({ kind: { enum: ['sqlite', 'postgres'] }, ok: { type: 'boolean' } }),
    time: time,
    uptimeSeconds: { type: 'number' },
    timers: obj({ due: int({ minimum: 0 }), lastRunAt: nullable(time) }),
    outbox: obj({ pending: int({ minimum: 0 }) }),
  }),
  Whoami: obj({ name: str(), roles: arr(str()), queues: arr(str()) }),
};
