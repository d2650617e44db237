/** Named lists (whitelists, blacklists) that `inList` rules and the list-lookup connector consult. */
import { notFound, unprocessable } from '../http/problem';
import { route, type RouteSpec } from '../http/route';
import { MAX_LIST_ENTRIES, NAME_PATTERN, ref } from '../http/schemas';
import type { ListEntry, ListKind, ListRecord, StoreTx } from '../store/store';
import type { Deps } from './common';

type EntryInput = string | { value: string; note?: string };

const nameParam = { name: { schema: { type: 'string', pattern: NAME_PATTERN }, description: 'List name: lowercase letters, digits, dot, dash, underscore.' } };
const listStream = (name: string): string => `list:${name}`;

/** Entries from input, duplicates merged (the last note wins). */
function toEntries(values: readonly EntryInput[], actor: string, at: string): ListEntry[] {
  const byValue = new Map<string, ListEntry>();
  for (const v of values) {
    const value = typeof v === 'string' ? v : v.value;
    const note = typeof v === 'string' ? null : (v.note ?? null);
    byValue.set(value, { value, note, addedBy: actor, addedAt: at });
  }
  return [...byValue.values()];
}

async function requireList(tx: StoreTx, name: string): Promise<ListRecord> {
  const l = await tx.getList(name);
  if (!l) throw notFound('list.not-found', `There is no list ${name}.`);
  return l;
}

export function listRoutes({ rt }: Deps): RouteSpec[] {
  const view = async (tx: StoreTx, l: ListRecord) => ({ ...l, entries: await tx.getListEntries(l.name) });

  return [
    route({
      method: 'get',
      path: '/api/lists',
      operationId: 'listLists',
      summary: 'The named lists and their sizes',
      tag: 'lists',
      roles: ['analyst', 'owner', 'operator', 'auditor'],
      responses: { 200: { description: 'By name.', schema: ref('ListIndex') } },
      errors: [],
      handler: async () => ({ status: 200, body: { items: await rt.store.listLists() } }),
    }),

    route({
      method: 'get',
      path: '/api/lists/{name}',
      operationId: 'getList',
      summary: 'A list with its entries',
      tag: 'lists',
      roles: ['analyst', 'owner', 'operator', 'auditor'],
      params: nameParam,
      responses: { 200: { description: 'The list.', schema: ref('List') } },
      errors: [404],
      handler: async ({ params }) => ({
        status: 200,
        body: await rt.transact(async (tx) => view(tx, await requireList(tx, params.name as string))),
      }),
    }),

    route<{ kind: ListKind; description?: string; entries?: EntryInput[] }>({
      method: 'put',
      path: '/api/lists/{name}',
      operationId: 'putList',
      summary: 'Create or replace a list and all its entries',
      tag: 'lists',
      roles: ['owner'],
      params: nameParam,
      body: { schema: ref('PutList'), required: true },
      responses: { 200: { description: 'Replaced.', schema: ref('List') }, 201: { description: 'Created.', schema: ref('List') } },
      errors: [],
      handler: async ({ params, body, principal }) => {
        const name = params.name as string;
        const at = rt.now();
        const entries = toEntries(body.entries ?? [], principal.name, at);
        const { created, list } = await rt.transact(async (tx) => {
          const before = await tx.getList(name);
          const saved = await tx.putList({ name, kind: body.kind, description: body.description ?? null, updatedBy: principal.name, updatedAt: at }, entries);
          await rt.audit(tx, listStream(name), [
            { at, actor: principal.name, entry: { type: before ? 'list.replaced' : 'list.created', at, details: { kind: body.kind, size: saved.size, revision: saved.revision } } },
          ]);
          return { created: !before, list: await view(tx, saved) };
        });
        rt.lists.invalidate();
        return { status: created ? 201 : 200, body: list };
      },
    }),

    route<{ values: EntryInput[] }>({
      method: 'post',
      path: '/api/lists/{name}/entries',
      operationId: 'addListEntries',
      summary: 'Add entries to a list (existing values keep their place, their note is updated)',
      tag: 'lists',
      roles: ['owner'],
      params: nameParam,
      body: { schema: ref('ListEntries'), required: true },
      responses: { 200: { description: 'The list.', schema: ref('List') } },
      errors: [404, 422],
      handler: async ({ params, body, principal }) => {
        const name = params.name as string;
        const at = rt.now();
        const entries = toEntries(body.values, principal.name, at);
        const list = await rt.transact(async (tx) => {
          await requireList(tx, name);
          const saved = await tx.addListEntries(name, entries, principal.name, at);
          if (saved.size > MAX_LIST_ENTRIES) {
            throw unprocessable('list.too-large', `A list holds at most ${MAX_LIST_ENTRIES} entries.`, [{ path: '/values', code: 'list.too-large', message: `would hold ${saved.size}` }]);
          }
          await rt.audit(tx, listStream(name), [{ at, actor: principal.name, entry: { type: 'list.entries.added', at, details: { values: entries.map((e) => e.value), revision: saved.revision } } }]);
          return view(tx, saved);
        });
        rt.lists.invalidate();
        return { status: 200, body: list };
      },
    }),

    route<{ values: string[] }>({
      method: 'delete',
      path: '/api/lists/{name}/entries',
      operationId: 'removeListEntries',
      summary: 'Remove entries from a list (values not in it are ignored)',
      tag: 'lists',
      roles: ['owner'],
      params: nameParam,
      body: { schema: ref('ListValues'), required: true },
      responses: { 200: { description: 'The list.', schema: ref('List') } },
      errors: [404],
      handler: async ({ params, body, principal }) => {
        const name = params.name as string;
        const at = rt.now();
        const list = await rt.transact(async (tx) => {
          await requireList(tx, name);
          const saved = await tx.removeListEntries(name, body.values, principal.name, at);
          await rt.audit(tx, listStream(name), [{ at, actor: principal.name, entry: { type: 'list.entries.removed', at, details: { values: body.values, revision: saved.revision } } }]);
          return view(tx, saved);
        });
        rt.lists.invalidate();
        return { status: 200, body: list };
      },
    }),
  ];
}
