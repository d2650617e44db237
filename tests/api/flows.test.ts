/** Flows, drafts, validation, publishing, versions, diffs and release policies over HTTP. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { errorPaths, expectProblem, startServer, type TestServer } from '../helpers/server';
import { reviewFlow } from '../helpers/flows';

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow()] });
});
afterEach(async () => {
  await s.close();
});

/** A valid new flow under another key. */
function newFlow(key = 'card-loss') {
  return { ...reviewFlow(), key };
}

describe('POST /api/flows', () => {
  test('creates a flow whose draft is at revision 1 and lists it', async () => {
    // when
    const res = await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: newFlow() } });
    // then
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe('/api/flows/card-loss/draft');
    expect(res.body).toMatchObject({ key: 'card-loss', revision: 1, createdBy: 'analyst', issues: [] });
    const list = await s.request('GET', '/api/flows', { as: 'app' });
    expect(list.body.items.map((f: { key: string }) => f.key)).toEqual(['card-loss', 'test-review']);
    expect(list.body.items[0]).toMatchObject({ latestVersion: null, defaultVersion: null, draft: { revision: 1, changed: true }, pilots: [] });
    expect(list.body.items[1]).toMatchObject({ latestVersion: 1, defaultVersion: 1, draft: { revision: 1, changed: false } });
  });

  test('accepts an incomplete draft and reports its issues', async () => {
    const res = await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: { key: 'half-done', nodes: [] } } });
    expect(res.status).toBe(201);
    expect(res.body.issues.length).toBeGreaterThan(0);
    expect(res.body.issues[0]).toMatchObject({ code: expect.any(String), path: expect.any(String), message: expect.any(String) });
  });

  test('refuses a taken key with 409 and a bad key with 422', async () => {
    expectProblem(await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: reviewFlow() } }), 409, 'flow.exists');
    const bad = await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: { key: 'Bad Key' } } });
    expectProblem(bad, 422, 'flow.key.invalid');
    expect(errorPaths(bad)).toEqual(['/definition/key']);
  });

  test('accepts the definition bare as well as wrapped in {definition}', async () => {
    const created = await s.request('POST', '/api/flows', { as: 'analyst', body: newFlow('bare-flow') });
    expect(created.status).toBe(201);
    expect(created.body.definition.key).toBe('bare-flow');
    const saved = await s.request('PUT', '/api/flows/bare-flow/draft', { as: 'analyst', body: { ...newFlow('bare-flow'), tags: ['bare'] }, headers: { 'if-match': '1' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ revision: 2, definition: { tags: ['bare'] } });
  });

  test('400 when definition is not an object, 401 without a key, 403 for an app', async () => {
    const res = await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: 'x' } });
    expectProblem(res, 400, 'request.body.invalid');
    expect(errorPaths(res)).toContain('/definition');
    expectProblem(await s.request('POST', '/api/flows', { body: { definition: newFlow() } }), 401, 'auth.required');
    expectProblem(await s.request('POST', '/api/flows', { as: 'app', body: { definition: newFlow() } }), 403, 'auth.role.missing');
  });
});

describe('drafts', () => {
  test('GET returns the draft with its revision as ETag; 404 for an unknown flow', async () => {
    const res = await s.request('GET', '/api/flows/test-review/draft', { as: 'analyst' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body.definition.key).toBe('test-review');
    expectProblem(await s.request('GET', '/api/flows/nope/draft', { as: 'analyst' }), 404, 'flow.not-found');
  });

  test('PUT with the current revision saves and moves the revision on', async () => {
    const def = { ...reviewFlow(), description: { en: 'edited', 'zh-CN': '已编辑' } };
    const res = await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: def }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(2);
    expect(res.headers.get('etag')).toBe('"2"');
    const again = await s.request('GET', '/api/flows/test-review/draft', { as: 'owner' });
    expect(again.body.definition.description.en).toBe('edited');
    expect(again.body.updatedBy).toBe('analyst');
  });

  test('two analysts saving the same revision: the second gets 409 with the current revision, nothing is lost', async () => {
    const a = { ...reviewFlow(), description: { en: 'from analyst', 'zh-CN': 'a' } };
    const b = { ...reviewFlow(), description: { en: 'from analyst2', 'zh-CN': 'b' } };
    const first = await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: a }, headers: { 'if-match': '"1"' } });
    const second = await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst2', body: { definition: b }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    expectProblem(second, 409, 'draft.revision.stale');
    expect(second.body.currentRevision).toBe(2);
    const now = await s.request('GET', '/api/flows/test-review/draft', { as: 'analyst' });
    expect(now.body.definition.description.en).toBe('from analyst');
  });

  test('PUT without If-Match is 428, with a malformed one 400, with another key 422', async () => {
    expectProblem(await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: reviewFlow() } }), 428, 'draft.revision.required');
    expectProblem(await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: reviewFlow() }, headers: { 'if-match': 'latest' } }), 400, 'request.if-match.invalid');
    const res = await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: newFlow('other') }, headers: { 'if-match': '"1"' } });
    expectProblem(res, 422, 'flow.key.mismatch');
    expect(errorPaths(res)).toEqual(['/definition/key']);
  });

  test('PUT on an unknown flow is 404; an auditor may read but not write (403)', async () => {
    expectProblem(await s.request('PUT', '/api/flows/nope/draft', { as: 'analyst', body: { definition: newFlow('nope') }, headers: { 'if-match': '"1"' } }), 404, 'flow.not-found');
    expect((await s.request('GET', '/api/flows/test-review/draft', { as: 'auditor' })).status).toBe(200);
    expectProblem(await s.request('PUT', '/api/flows/test-review/draft', { as: 'auditor', body: { definition: reviewFlow() }, headers: { 'if-match': '"1"' } }), 403, 'auth.role.missing');
  });
});

describe('POST /api/flows/{key}/validate', () => {
  test('validates the stored draft or a posted definition, with messages in the asked language', async () => {
    const ok = await s.request('POST', '/api/flows/test-review/validate', { as: 'analyst' });
    expect(ok.body).toEqual({ valid: true, issues: [] });
    const broken = reviewFlow();
    broken.edges[0]!.target = 'ghost';
    const res = await s.request('POST', '/api/flows/test-review/validate', { as: 'analyst', body: { definition: broken }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    const issue = res.body.issues.find((i: { path: string }) => i.path === '/edges/0/target');
    expect(issue).toMatchObject({ severity: 'error', edgeId: 'e1' });
    expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('404 for an unknown flow, 403 for an operator', async () => {
    expectProblem(await s.request('POST', '/api/flows/nope/validate', { as: 'analyst' }), 404, 'flow.not-found');
    expectProblem(await s.request('POST', '/api/flows/test-review/validate', { as: 'operator' }), 403, 'auth.role.missing');
  });
});

describe('publishing and versions', () => {
  async function saveDraft(def: unknown, revision: number) {
    return s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: def }, headers: { 'if-match': `"${revision}"` } });
  }

  test('publishes the draft as version 2 with hash, author, publisher and note; versions are listed and readable', async () => {
    const def = reviewFlow();
    def.nodes[1] = { ...def.nodes[1]!, name: { en: 'Credit review (new)', 'zh-CN': '信贷审查（新）' } } as (typeof def.nodes)[number];
    await saveDraft(def, 1);
    const res = await s.request('POST', '/api/flows/test-review/versions', { as: 'owner', body: { note: 'renamed review' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/flows/test-review/versions/2');
    expect(res.body).toMatchObject({ key: 'test-review', version: 2, author: 'analyst', publishedBy: 'owner', note: 'renamed review', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const list = await s.request('GET', '/api/flows/test-review/versions', { as: 'app' });
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(list.body.items[0].definition).toBeUndefined();
    const v2 = await s.request('GET', '/api/flows/test-review/versions/2', { as: 'auditor' });
    expect(v2.body.definition.nodes[1].name.en).toBe('Credit review (new)');
    // A later publish does not move the default unless asked: new cases stay on version 1.
    const policy = await s.request('GET', '/api/flows/test-review/release-policy', { as: 'owner' });
    expect(policy.body.defaultVersion).toBe(1);
  });

  test('refuses an invalid draft with 422 and every error with its JSON Pointer', async () => {
    const def = reviewFlow();
    def.edges[0]!.target = 'ghost';
    (def.nodes[1] as { queue: string }).queue = '';
    await saveDraft(def, 1);
    const res = await s.request('POST', '/api/flows/test-review/versions', { as: 'owner' });
    expectProblem(res, 422, 'flow.invalid');
    expect(errorPaths(res)).toEqual(expect.arrayContaining(['/edges/0/target', '/nodes/1/queue']));
    expect(res.body.issues.length).toBeGreaterThanOrEqual(2);
    expect((await s.request('GET', '/api/flows/test-review/versions', { as: 'owner' })).body.items).toHaveLength(1);
  });

  test('409 for a draft identical to the latest version and for a stale revision; 403 for an analyst', async () => {
    const same = await s.request('POST', '/api/flows/test-review/versions', { as: 'owner' });
    expectProblem(same, 409, 'flow.version.unchanged');
    expect(same.body.version).toBe(1);
    expectProblem(await s.request('POST', '/api/flows/test-review/versions', { as: 'owner', body: { revision: 7 } }), 409, 'draft.revision.stale');
    expectProblem(await s.request('POST', '/api/flows/test-review/versions', { as: 'analyst' }), 403, 'auth.role.missing');
  });

  test('404 for an unknown version or flow, 400 for a version that is not a number', async () => {
    expectProblem(await s.request('GET', '/api/flows/test-review/versions/9', { as: 'owner' }), 404, 'flow.version.not-found');
    expectProblem(await s.request('GET', '/api/flows/nope/versions', { as: 'owner' }), 404, 'flow.not-found');
    const res = await s.request('GET', '/api/flows/test-review/versions/latest', { as: 'owner' });
    expectProblem(res, 400, 'request.params.invalid');
    expect(res.body.errors[0]).toMatchObject({ path: '/version', in: 'path' });
  });
});

describe('GET /api/flows/{key}/diff', () => {
  test('lists nodes, edges and rules added, removed and changed between a version and the draft', async () => {
    const def = reviewFlow();
    def.nodes.push({ id: 'notify', kind: 'end', name: { en: 'Notified', 'zh-CN': '已通知' }, outcome: 'notified' });
    def.edges[2]!.condition = { '==': [{ var: 'decision' }, 'reject'] };
    await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: def }, headers: { 'if-match': '"1"' } });
    const res = await s.request('GET', '/api/flows/test-review/diff?from=1&to=draft', { as: 'owner' });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(1);
    expect(res.body.to).toBe('draft');
    expect(res.body.nodes.added.map((n: { id: string }) => n.id)).toEqual(['notify']);
    expect(res.body.edges.changed.map((e: { id: string }) => e.id)).toEqual(['e3']);
    expect(res.body.rules.some((r: { change: string; edgeId?: string }) => r.change === 'changed' && r.edgeId === 'e3')).toBe(true);
  });

  test('400 without from/to or with a bad value; 404 for a missing version', async () => {
    const missing = await s.request('GET', '/api/flows/test-review/diff?from=1', { as: 'owner' });
    expectProblem(missing, 400, 'request.query.invalid');
    expect(missing.body.errors[0]).toMatchObject({ path: '/to', in: 'query' });
    expectProblem(await s.request('GET', '/api/flows/test-review/diff?from=one&to=1', { as: 'owner' }), 400, 'request.query.invalid');
    expectProblem(await s.request('GET', '/api/flows/test-review/diff?from=1&to=3', { as: 'owner' }), 404, 'flow.version.not-found');
  });
});

describe('release policy', () => {
  async function publishV2() {
    const def = reviewFlow();
    def.nodes[1] = { ...def.nodes[1]!, name: { en: 'Credit review v2', 'zh-CN': '信贷审查v2' } } as (typeof def.nodes)[number];
    await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: def }, headers: { 'if-match': '"1"' } });
    expect((await s.request('POST', '/api/flows/test-review/versions', { as: 'owner' })).status).toBe(201);
  }

  test('a pilot sends the listed branches to version 2; stopping it is one PUT and running cases keep their version', async () => {
    await publishV2();
    const put = await s.request('PUT', '/api/flows/test-review/release-policy', {
      as: 'owner',
      body: { defaultVersion: 1, pilots: [{ id: 'pilot-pudong', name: 'Pudong pilot', when: { in: [{ var: 'branchId' }, ['SH-PD-01', 'JS-KS-02']] }, version: 2 }] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ revision: 2, defaultVersion: 1, updatedBy: 'owner' });
    const listed = (await s.request('GET', '/api/flows', { as: 'analyst' })).body.items[0];
    expect(listed.pilots).toEqual([{ id: 'pilot-pudong', name: 'Pudong pilot', version: 2 }]);
    const start = (branchId: string) => s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: `C-${branchId}`, amount: 1, branchId } } });
    const pilot = await start('SH-PD-01');
    const other = await start('BJ-01');
    expect(pilot.body.version).toBe(2);
    expect(other.body.version).toBe(1);

    const stop = await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 1, pilots: [] } });
    expect(stop.status).toBe(200);
    expect((await start('JS-KS-02')).body.version).toBe(1);
    expect((await s.request('GET', `/api/cases/${pilot.body.id}`, { as: 'app' })).body.version).toBe(2);
  });

  test('a stable percentage split gives the same customer the same version every time', async () => {
    await publishV2();
    await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 1, split: { version: 2, percent: 50 } } });
    const versions: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: `C${i}`, amount: 1 } } });
      versions.push(res.body.version);
    }
    expect(versions).toContain(1);
    expect(versions).toContain(2);
    for (let i = 0; i < 5; i++) {
      const again = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: `C${i}`, amount: 2 } } });
      expect(again.body.version).toBe(versions[i]);
    }
  });

  test('a pilot without an id gets one', async () => {
    const put = await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 1, pilots: [{ name: 'all', when: true, version: 1 }] } });
    expect(put.body.pilots).toEqual([{ id: 'p1', name: 'all', when: true, version: 1 }]);
  });

  test('422 names every reference to a missing version and every invalid rule', async () => {
    const res = await s.request('PUT', '/api/flows/test-review/release-policy', {
      as: 'owner',
      body: { defaultVersion: 3, pilots: [{ id: 'p', when: { frobnicate: [1] }, version: 1 }, { id: 'p', when: true, version: 4 }], split: { version: 5, percent: 10 } },
    });
    expectProblem(res, 422, 'release-policy.invalid');
    expect(errorPaths(res)).toEqual(expect.arrayContaining(['/defaultVersion', '/pilots/0/when/frobnicate', '/pilots/1/id', '/pilots/1/version', '/split/version']));
  });

  test('409 on a stale If-Match, 400 for a percent over 100, 403 for an analyst, 404 for an unknown flow', async () => {
    expectProblem(await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 1 }, headers: { 'if-match': '"9"' } }), 409, 'release-policy.revision.stale');
    const res = await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 1, split: { version: 1, percent: 150 } } });
    expectProblem(res, 400, 'request.body.invalid');
    expect(errorPaths(res)).toEqual(['/split/percent']);
    expectProblem(await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'analyst', body: { defaultVersion: 1 } }), 403, 'auth.role.missing');
    expectProblem(await s.request('GET', '/api/flows/nope/release-policy', { as: 'owner' }), 404, 'flow.not-found');
  });
});

describe('GET /api/flows/{key}/audit', () => {
  test('records who saved, published and changed the policy', async () => {
    await s.request('PUT', '/api/flows/test-review/draft', { as: 'analyst', body: { definition: { ...reviewFlow(), tags: ['x'] } }, headers: { 'if-match': '"1"' } });
    await s.request('POST', '/api/flows/test-review/versions', { as: 'owner', body: { note: 'tags' } });
    await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'owner', body: { defaultVersion: 2 } });
    const res = await s.request('GET', '/api/flows/test-review/audit', { as: 'auditor' });
    expect(res.body.items.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual([
      'version.published:flowpath-bootstrap',
      'draft.saved:analyst',
      'version.published:owner',
      'release-policy.changed:owner',
    ]);
    expectProblem(await s.request('GET', '/api/flows/test-review/audit', { as: 'app' }), 403, 'auth.role.missing');
  });
});
