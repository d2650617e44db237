/** Flows, drafts, versions, diffs and release policies. */
import {
  cnMainlandCalendar,
  diffFlows,
  isValid,
  validateFlow,
  validateRule,
  type FlowDefinition,
  type Issue,
  type ValidateContext,
} from '@flowpath/engine';
import { contentHash } from '../hash';
import { hasRole, type Principal } from '../http/auth';
import { HttpProblem, conflict, notFound, unprocessable, type ProblemError } from '../http/problem';
import { route, type RouteSpec } from '../http/route';
import { FLOW_KEY_PATTERN, ref } from '../http/schemas';
import { issuesView, languageOf } from '../http/views';
import type { FlowpathRuntime } from '../runtime/runtime';
import { StoreConflictError, type FlowRecord, type ReleasePolicy, type StoreTx } from '../store/store';
import { ALL_ROLES, etag, flowKeyParam, ifMatchRevision, requireFlow, type Deps } from './common';

const flowStream = (key: string): string => `flow:${key}`;

/** What the runtime can offer a flow: connectors, published flows (for sub-flows), calendars. */
export async function validationContext(rt: FlowpathRuntime, tx: StoreTx): Promise<ValidateContext> {
  const flows = await tx.listPublishedFlowKeys();
  const calendars = new Set([cnMainlandCalendar.id, ...(await tx.listCalendars()).map((c) => c.id)]);
  return { connectors: rt.connectors.names(), flows, calendars: [...calendars] };
}

function draftView(f: FlowRecord, issues: Issue[], lang: 'en' | 'zh-CN'): Record<string, unknown> {
  return {
    key: f.key,
    revision: f.draftRevision,
    definition: f.draft,
    owner: f.owner,
    createdBy: f.createdBy,
    createdAt: f.createdAt,
    updatedBy: f.updatedBy,
    updatedAt: f.updatedAt,
    issues: issuesView(issues, lang),
  };
}

/** The draft's `key` must be the flow's key; an absent key is filled in. */
function withKey(definition: Record<string, unknown>, key: string): Record<string, unknown> {
  if (definition.key === undefined) return { ...definition, key };
  if (definition.key !== key) {
    throw unprocessable('flow.key.mismatch', `The definition's key ${JSON.stringify(definition.key)} is not the flow's key ${key}.`, [
      { path: '/definition/key', code: 'flow.key.mismatch', message: `must be ${key}` },
    ]);
  }
  return definition;
}

/** The definition of a create/save body: `{ definition }`, or the FlowDefinition itself. */
function definitionOf(body: Record<string, unknown>): Record<string, unknown> {
  return 'definition' in body ? (body.definition as Record<string, unknown>) : body;
}

/** Issues as problem errors, with their messages. */
function issueErrors(issues: Issue[], lang: 'en' | 'zh-CN', prefix = ''): ProblemError[] {
  return issuesView(issues, lang).map((i) => ({
    path: prefix + String(i.path),
    code: String(i.code),
    message: String(i.message),
    params: i.params as Record<string, unknown>,
  }));
}

function policyView(p: ReleasePolicy | undefined, key: string): Record<string, unknown> {
  return {
    flowKey: key,
    defaultVersion: p?.defaultVersion ?? null,
    pilots: p?.pilots ?? [],
    split: p?.split ?? null,
    revision: p?.revision ?? 0,
    updatedBy: p?.updatedBy ?? null,
    updatedAt: p?.updatedAt ?? null,
  };
}

export function flowRoutes({ rt }: Deps): RouteSpec[] {
  const lang = (h: (n: string) => string | undefined) => languageOf(h('accept-language'));

  return [
    route({
      method: 'get',
      path: '/api/flows',
      operationId: 'listFlows',
      summary: 'List flows with their draft revision, latest and default version',
      tag: 'flows',
      roles: ALL_ROLES,
      responses: { 200: { description: 'Every flow.', schema: ref('FlowList') } },
      errors: [],
      handler: async () => {
        const items = await rt.transact(async (tx) => {
          const out = [];
          for (const summary of await tx.listFlows()) {
            const flow = (await tx.getFlow(summary.key)) as FlowRecord;
            const latest = summary.latestVersion === null ? undefined : await rt.definitions.get(tx, summary.key, summary.latestVersion);
            const policy = await tx.getReleasePolicy(summary.key);
            out.push({
              ...summary,
              draft: { revision: flow.draftRevision, updatedAt: flow.updatedAt, updatedBy: flow.updatedBy, changed: latest?.hash !== contentHash(flow.draft) },
              pilots: (policy?.pilots ?? []).map((p) => ({ id: p.id, ...(p.name ? { name: p.name } : {}), version: p.version })),
            });
          }
          return out;
        });
        return { status: 200, body: { items } };
      },
    }),

    route<Record<string, unknown>>({
      method: 'post',
      path: '/api/flows',
      operationId: 'createFlow',
      summary: 'Create a flow with its first draft',
      description: 'The draft may be incomplete; its `key` names the flow for good.',
      tag: 'flows',
      roles: ['analyst', 'owner'],
      body: { schema: ref('NewFlow'), required: true },
      responses: {
        201: {
          description: 'Created; the draft is at revision 1.',
          schema: ref('Draft'),
          headers: { ETag: { description: 'The draft revision.', schema: { type: 'string' } }, Location: { description: 'The draft.', schema: { type: 'string' } } },
        },
      },
      errors: [409, 422],
      handler: async ({ body: input, principal, header }) => {
        const body = { definition: definitionOf(input) };
        const key = body.definition.key;
        if (typeof key !== 'string' || !new RegExp(FLOW_KEY_PATTERN).test(key)) {
          throw unprocessable('flow.key.invalid', 'A flow needs a key of 2..64 lowercase letters, digits and dashes, starting with a letter.', [
            { path: '/definition/key', code: 'flow.key.invalid', message: `must match ${FLOW_KEY_PATTERN}` },
          ]);
        }
        const now = rt.now();
        const owner = typeof body.definition.owner === 'string' ? body.definition.owner : principal.name;
        const flow: FlowRecord = {
          key,
          draft: body.definition,
          draftRevision: 1,
          owner,
          createdBy: principal.name,
          createdAt: now,
          updatedBy: principal.name,
          updatedAt: now,
        };
        const issues = await rt.transact(async (tx) => {
          try {
            await tx.insertFlow(flow);
          } catch (e) {
            if (e instanceof StoreConflictError && e.code === 'flow.exists') throw conflict('flow.exists', `A flow with key ${key} already exists.`);
            throw e;
          }
          await rt.audit(tx, flowStream(key), [{ at: now, actor: principal.name, entry: { type: 'flow.created', at: now, details: { revision: 1 } } }]);
          return validateFlow(flow.draft, await validationContext(rt, tx));
        });
        return {
          status: 201,
          body: draftView(flow, issues, lang(header)),
          headers: { ETag: etag(1), Location: `/api/flows/${key}/draft` },
        };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/draft',
      operationId: 'getDraft',
      summary: 'Read the draft, its revision (also as ETag) and its current validation issues',
      tag: 'flows',
      roles: ['analyst', 'owner', 'auditor'],
      params: flowKeyParam,
      responses: { 200: { description: 'The draft.', schema: ref('Draft'), headers: { ETag: { description: 'The revision.', schema: { type: 'string' } } } } },
      errors: [404],
      handler: async ({ params, header }) => {
        const { flow, issues } = await rt.transact(async (tx) => {
          const f = await requireFlow(tx, params.key as string);
          return { flow: f, issues: validateFlow(f.draft, await validationContext(rt, tx)) };
        });
        return { status: 200, body: draftView(flow, issues, lang(header)), headers: { ETag: etag(flow.draftRevision) } };
      },
    }),

    route<Record<string, unknown>>({
      method: 'put',
      path: '/api/flows/{key}/draft',
      operationId: 'saveDraft',
      summary: 'Save the draft (If-Match: the revision it was loaded at)',
      description: 'A stale revision is refused with 409 and the current revision, so two analysts cannot overwrite each other. Saving never refuses an incomplete draft; the response lists its issues.',
      tag: 'flows',
      roles: ['analyst', 'owner'],
      params: flowKeyParam,
      headers: { 'If-Match': { schema: { type: 'string' }, required: true, description: 'The revision being edited, e.g. "3".' } },
      body: { schema: ref('DraftInput'), required: true },
      responses: { 200: { description: 'Saved; the revision moved on by one.', schema: ref('Draft'), headers: { ETag: { description: 'The new revision.', schema: { type: 'string' } } } } },
      errors: [404, 409, 422, 428],
      handler: async ({ params, body, principal, header }) => {
        const key = params.key as string;
        const expected = ifMatchRevision(header('if-match'));
        if (expected === undefined) {
          throw new HttpProblem(428, 'draft.revision.required', 'Say which revision you edit: If-Match: "<revision>" (from GET .../draft).');
        }
        const definition = withKey(definitionOf(body), key);
        const now = rt.now();
        const { flow, issues } = await rt.transact(async (tx) => {
          await requireFlow(tx, key);
          let saved: FlowRecord;
          try {
            saved = await tx.saveDraft(key, expected, definition, principal.name, now);
          } catch (e) {
            if (e instanceof StoreConflictError && e.code === 'draft.revision.stale') {
              const current = Number(e.current?.revision);
              throw conflict('draft.revision.stale', `The draft is at revision ${current}, not ${expected}: someone saved in between. Reload, merge and save again.`, {
                currentRevision: current,
              });
            }
            throw e;
          }
          await rt.audit(tx, flowStream(key), [
            { at: now, actor: principal.name, entry: { type: 'draft.saved', at: now, details: { revision: saved.draftRevision, hash: contentHash(definition) } } },
          ]);
          return { flow: saved, issues: validateFlow(definition, await validationContext(rt, tx)) };
        });
        return { status: 200, body: draftView(flow, issues, lang(header)), headers: { ETag: etag(flow.draftRevision) } };
      },
    }),

    route<Record<string, unknown> | undefined>({
      method: 'post',
      path: '/api/flows/{key}/validate',
      operationId: 'validateFlow',
      summary: 'Validate the stored draft, or the definition in the body',
      tag: 'flows',
      roles: ['analyst', 'owner'],
      params: flowKeyParam,
      body: { schema: ref('ValidateInput'), required: false },
      responses: { 200: { description: 'Every issue; `valid` is false when any is an error.', schema: ref('ValidationResult') } },
      errors: [404],
      handler: async ({ params, body, header }) => {
        const issues = await rt.transact(async (tx) => {
          const f = await requireFlow(tx, params.key as string);
          const posted = body && Object.keys(body).length > 0 ? definitionOf(body) : undefined;
          const def = posted ? withKey(posted, f.key) : f.draft;
          return validateFlow(def, await validationContext(rt, tx));
        });
        return { status: 200, body: { valid: isValid(issues), issues: issuesView(issues, lang(header)) } };
      },
    }),

    route<{ note?: string; revision?: number; setDefault?: boolean } | undefined>({
      method: 'post',
      path: '/api/flows/{key}/versions',
      operationId: 'publishVersion',
      summary: 'Publish the draft as the next immutable version',
      description:
        'Refused with 422 and every validation issue when the draft is invalid, and with 409 when it is identical to the latest version. ' +
        'The first version becomes the release policy\'s default; later ones only when `setDefault` is true (otherwise pilot them first).',
      tag: 'flows',
      roles: ['owner'],
      params: flowKeyParam,
      body: { schema: ref('PublishInput'), required: false },
      responses: { 201: { description: 'Published.', schema: ref('FlowVersion'), headers: { Location: { description: 'The version.', schema: { type: 'string' } } } } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal, header }) => {
        const key = params.key as string;
        const now = rt.now();
        const version = await rt.transact(async (tx) => {
          const f = await requireFlow(tx, key);
          if (body?.revision !== undefined && body.revision !== f.draftRevision) {
            throw conflict('draft.revision.stale', `The draft is at revision ${f.draftRevision}, not ${body.revision}.`, { currentRevision: f.draftRevision });
          }
          const issues = validateFlow(f.draft, await validationContext(rt, tx));
          if (!isValid(issues)) {
            const errors = issues.filter((i) => i.severity === 'error');
            throw unprocessable('flow.invalid', `The draft has ${errors.length} error(s); fix them before publishing.`, issueErrors(errors, lang(header)), {
              issues: issuesView(issues, lang(header)),
            });
          }
          const definition = f.draft as unknown as FlowDefinition;
          const hash = contentHash(definition);
          const latest = await tx.latestVersion(key);
          if (latest > 0) {
            const prev = await tx.getVersion(key, latest);
            if (prev?.hash === hash) throw conflict('flow.version.unchanged', `The draft is identical to version ${latest}.`, { version: latest });
          }
          const v = {
            key,
            version: latest + 1,
            definition,
            hash,
            author: f.updatedBy,
            publishedBy: principal.name,
            publishedAt: now,
            ...(body?.note ? { note: body.note } : {}),
          };
          await tx.insertVersion(v);
          const policy = await tx.getReleasePolicy(key);
          if (!policy || body?.setDefault) {
            await tx.putReleasePolicy(
              { flowKey: key, defaultVersion: v.version, pilots: policy?.pilots ?? [], split: policy?.split ?? null, revision: 0, updatedBy: principal.name, updatedAt: now },
              policy?.revision ?? 0,
            );
          }
          await rt.audit(tx, flowStream(key), [
            { at: now, actor: principal.name, entry: { type: 'version.published', at: now, details: { version: v.version, hash, note: body?.note ?? null, setDefault: !policy || Boolean(body?.setDefault) } } },
          ]);
          return v;
        });
        return { status: 201, body: version, headers: { Location: `/api/flows/${key}/versions/${version.version}` } };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/versions',
      operationId: 'listVersions',
      summary: 'List published versions (without definitions)',
      tag: 'flows',
      roles: ALL_ROLES,
      params: flowKeyParam,
      responses: { 200: { description: 'Oldest first.', schema: ref('FlowVersionList') } },
      errors: [404],
      handler: async ({ params }) => {
        const items = await rt.transact(async (tx) => {
          await requireFlow(tx, params.key as string);
          return tx.listVersions(params.key as string);
        });
        return { status: 200, body: { items } };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/versions/{version}',
      operationId: 'getVersion',
      summary: 'Read one published version with its definition',
      tag: 'flows',
      roles: ALL_ROLES,
      params: { ...flowKeyParam, version: { schema: { type: 'integer', minimum: 1 }, description: 'Version number.' } },
      responses: { 200: { description: 'The version.', schema: ref('FlowVersion') } },
      errors: [404],
      handler: async ({ params }) => {
        const v = await rt.store.getVersion(params.key as string, Number(params.version));
        if (!v) throw notFound('flow.version.not-found', `Flow ${params.key} has no version ${params.version}.`);
        return { status: 200, body: v };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/diff',
      operationId: 'diffVersions',
      summary: 'Nodes, edges and rules added, removed and changed between two versions (or the draft)',
      tag: 'flows',
      roles: ['analyst', 'owner', 'auditor'],
      params: flowKeyParam,
      query: {
        from: { schema: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'draft' }] }, required: true, description: 'A version number or `draft`.' },
        to: { schema: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'draft' }] }, required: true, description: 'A version number or `draft`.' },
      },
      responses: { 200: { description: 'The differences from `from` to `to`.', schema: ref('FlowDiff') } },
      errors: [404, 422],
      handler: async ({ params, query }) => {
        const key = params.key as string;
        const [a, b] = await rt.transact(async (tx) => {
          const f = await requireFlow(tx, key);
          const load = async (which: unknown, name: string): Promise<FlowDefinition> => {
            if (which === 'draft') {
              const d = f.draft as Partial<FlowDefinition>;
              if (!Array.isArray(d.nodes) || !Array.isArray(d.edges)) {
                throw unprocessable('flow.draft.unusable', 'The draft has no node and edge lists to compare.', [{ path: `/${name}`, code: 'flow.draft.unusable', message: 'draft lacks nodes or edges' }]);
              }
              return f.draft as unknown as FlowDefinition;
            }
            const v = await tx.getVersion(key, Number(which));
            if (!v) throw notFound('flow.version.not-found', `Flow ${key} has no version ${String(which)}.`);
            return v.definition;
          };
          return [await load(query.from, 'from'), await load(query.to, 'to')];
        });
        return { status: 200, body: { from: query.from, to: query.to, ...diffFlows(a, b) } };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/release-policy',
      operationId: 'getReleasePolicy',
      summary: 'Which version new cases get: default, pilots, split',
      tag: 'flows',
      roles: ['analyst', 'owner', 'auditor'],
      params: flowKeyParam,
      responses: { 200: { description: 'The policy (revision 0 and no default before the first publish).', schema: ref('ReleasePolicy'), headers: { ETag: { description: 'The revision.', schema: { type: 'string' } } } } },
      errors: [404],
      handler: async ({ params }) => {
        const key = params.key as string;
        const p = await rt.transact(async (tx) => {
          await requireFlow(tx, key);
          return tx.getReleasePolicy(key);
        });
        return { status: 200, body: policyView(p, key), headers: { ETag: etag(p?.revision ?? 0) } };
      },
    }),

    route<Pick<ReleasePolicy, 'defaultVersion'> & { pilots?: (Omit<ReleasePolicy['pilots'][number], 'id'> & { id?: string })[]; split?: ReleasePolicy['split'] }>({
      method: 'put',
      path: '/api/flows/{key}/release-policy',
      operationId: 'putReleasePolicy',
      summary: 'Set the release policy (stopping a pilot is one PUT without it)',
      description: 'Running cases keep the version they started on. Pilot rules are json-logic over the new case data and are validated against that version\'s case schema.',
      tag: 'flows',
      roles: ['owner'],
      params: flowKeyParam,
      headers: { 'If-Match': { schema: { type: 'string' }, description: 'Optional: the revision being replaced.' } },
      body: { schema: ref('ReleasePolicyInput'), required: true },
      responses: { 200: { description: 'The new policy.', schema: ref('ReleasePolicy'), headers: { ETag: { description: 'The revision.', schema: { type: 'string' } } } } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal, header }) => {
        const key = params.key as string;
        const expected = ifMatchRevision(header('if-match'));
        const now = rt.now();
        const saved = await rt.transact(async (tx) => {
          await requireFlow(tx, key);
          const current = await tx.getReleasePolicy(key);
          const errors: ProblemError[] = [];
          const versionAt = async (v: number, path: string): Promise<FlowDefinition | undefined> => {
            const found = await rt.definitions.get(tx, key, v);
            if (!found) errors.push({ path, code: 'release-policy.version.missing', message: `flow ${key} has no version ${v}` });
            return found?.definition;
          };
          await versionAt(body.defaultVersion, '/defaultVersion');
          const pilots = (body.pilots ?? []).map((p, i) => ({ ...p, id: p.id ?? `p${i + 1}` }));
          const ids = new Set<string>();
          for (const [i, p] of pilots.entries()) {
            if (ids.has(p.id)) errors.push({ path: `/pilots/${i}/id`, code: 'release-policy.pilot.duplicate', message: `pilot id ${p.id} is used twice` });
            ids.add(p.id);
            const def = await versionAt(p.version, `/pilots/${i}/version`);
            if (def) errors.push(...issueErrors(validateRule(p.when, { path: `/pilots/${i}/when`, caseSchema: def.caseSchema }).filter((x) => x.severity === 'error'), lang(header)));
          }
          if (body.split) await versionAt(body.split.version, '/split/version');
          if (errors.length) throw unprocessable('release-policy.invalid', 'The release policy refers to versions that do not exist or has invalid rules.', errors);
          const next: ReleasePolicy = {
            flowKey: key,
            defaultVersion: body.defaultVersion,
            pilots,
            split: body.split ?? null,
            revision: 0,
            updatedBy: principal.name,
            updatedAt: now,
          };
          let saved: ReleasePolicy;
          try {
            saved = await tx.putReleasePolicy(next, expected ?? current?.revision ?? 0);
          } catch (e) {
            if (e instanceof StoreConflictError) {
              throw conflict('release-policy.revision.stale', `The policy is at revision ${String(e.current?.revision)}, not ${String(expected)}.`, { currentRevision: e.current?.revision });
            }
            throw e;
          }
          await rt.audit(tx, flowStream(key), [
            {
              at: now,
              actor: principal.name,
              entry: { type: 'release-policy.changed', at: now, details: { before: current ? policyView(current, key) : null, after: policyView(saved, key) } },
            },
          ]);
          return saved;
        });
        return { status: 200, body: policyView(saved, key), headers: { ETag: etag(saved.revision) } };
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/audit',
      operationId: 'getFlowAudit',
      summary: 'Who created, saved, published and changed the release policy of a flow, hash-chained',
      tag: 'audit',
      roles: ['auditor', 'owner', 'analyst'],
      params: flowKeyParam,
      responses: { 200: { description: 'Oldest first.', schema: ref('AuditList') } },
      errors: [404],
      handler: async ({ params }) => {
        const key = params.key as string;
        const items = await rt.transact(async (tx) => {
          await requireFlow(tx, key);
          return tx.listAudit(flowStream(key));
        });
        return {
          status: 200,
          body: {
            stream: flowStream(key),
            items: items.map((e) => ({ ...(e.entry ?? {}), seq: e.seq, at: e.at, actor: e.actor, details: e.entry?.details ?? {}, type: e.entry?.type ?? 'unreadable', hash: e.hash, prevHash: e.prevHash })),
            nextCursor: null,
          },
        };
      },
    }),
  ];
}

/** Exposed for the case routes: may this principal pick a version explicitly? */
export function mayChooseVersion(p: Principal): boolean {
  return hasRole(p, 'owner');
}
