/** Lists (whitelists, blacklists) and business calendars over HTTP. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { errorPaths, expectProblem, startServer, type TestServer } from '../helpers/server';

let s: TestServer;

beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.close();
});

describe('lists', () => {
  test('create, read, add (merging duplicates), remove, replace; each change is audited', async () => {
    const created = await s.request('PUT', '/api/lists/sme-whitelist', { as: 'owner', body: { kind: 'whitelist', entries: ['91320594MA1XXXXX7K'] } });
    expect(created.status).toBe(201);
    const added = await s.request('POST', '/api/lists/sme-whitelist/entries', {
      as: 'owner',
      body: { values: ['91310000MA1FL0000A', { value: '91310000MA1FL0000A', note: 'pre-approved 2026-03' }] },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ size: 2, revision: 2 });
    expect(added.body.entries).toEqual([
      expect.objectContaining({ value: '91310000MA1FL0000A', note: 'pre-approved 2026-03', addedBy: 'owner' }),
      expect.objectContaining({ value: '91320594MA1XXXXX7K', note: null }),
    ]);
    const removed = await s.request('DELETE', '/api/lists/sme-whitelist/entries', { as: 'owner', body: { values: ['91320594MA1XXXXX7K', 'not-there'] } });
    expect(removed.body.entries.map((e: { value: string }) => e.value)).toEqual(['91310000MA1FL0000A']);
    const replaced = await s.request('PUT', '/api/lists/sme-whitelist', { as: 'owner', body: { kind: 'whitelist', description: 'Pre-approved SMEs', entries: [] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ size: 0, revision: 4, description: 'Pre-approved SMEs' });
    const index = await s.request('GET', '/api/lists', { as: 'operator' });
    expect(index.body.items).toEqual([expect.objectContaining({ name: 'sme-whitelist', kind: 'whitelist', size: 0 })]);
    expect((await s.request('GET', '/api/lists/sme-whitelist', { as: 'auditor' })).body.entries).toEqual([]);
  });

  test('404 for an unknown list, 400 for a bad name or entry, 403 for analysts and apps', async () => {
    expectProblem(await s.request('GET', '/api/lists/nope', { as: 'owner' }), 404, 'list.not-found');
    expectProblem(await s.request('POST', '/api/lists/nope/entries', { as: 'owner', body: { values: ['x'] } }), 404, 'list.not-found');
    expectProblem(await s.request('DELETE', '/api/lists/nope/entries', { as: 'owner', body: { values: ['x'] } }), 404, 'list.not-found');
    expectProblem(await s.request('PUT', '/api/lists/Bad%20Name', { as: 'owner', body: { kind: 'blacklist' } }), 400, 'request.params.invalid');
    const bad = await s.request('PUT', '/api/lists/ok', { as: 'owner', body: { kind: 'greylist', entries: [''] } });
    expectProblem(bad, 400, 'request.body.invalid');
    expect(errorPaths(bad)).toEqual(expect.arrayContaining(['/kind']));
    expectProblem(await s.request('PUT', '/api/lists/ok', { as: 'analyst', body: { kind: 'blacklist' } }), 403, 'auth.role.missing');
    expectProblem(await s.request('GET', '/api/lists', { as: 'app' }), 403, 'auth.role.missing');
  });

  test('a call adds at most 10000 entries (400 beyond)', async () => {
    await s.request('PUT', '/api/lists/big', { as: 'owner', body: { kind: 'other' } });
    const values = Array.from({ length: 10_001 }, (_, i) => `v${i}`);
    const res = await s.request('POST', '/api/lists/big/entries', { as: 'owner', body: { values } });
    expectProblem(res, 400, 'request.body.invalid');
    expect(errorPaths(res)).toEqual(['/values']);
  });
});

describe('calendars', () => {
  const calendar = (id: string) => ({
    id,
    name: { 'zh-CN': '上海分行', en: 'Shanghai branch' },
    utcOffset: '+08:00',
    weekdays: [1, 2, 3, 4, 5],
    workingHours: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ],
    holidays: ['2026-10-01'],
    workdays: ['2026-10-10'],
  });

  test('the mainland calendar is built in; a new calendar is stored with revisions', async () => {
    const list = await s.request('GET', '/api/calendars', { as: 'analyst' });
    expect(list.body.items.map((c: { id: string; revision: number }) => [c.id, c.revision])).toEqual([['cn-mainland', 0]]);
    const cn = await s.request('GET', '/api/calendars/cn-mainland', { as: 'app' });
    expect(cn.body.calendar.utcOffset).toBe('+08:00');

    const put = await s.request('PUT', '/api/calendars/sh-branch', { as: 'owner', body: calendar('sh-branch') });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'sh-branch', revision: 1, updatedBy: 'owner' });
    expect(put.headers.get('etag')).toBe('"1"');
    const again = await s.request('PUT', '/api/calendars/sh-branch', { as: 'owner', body: calendar('sh-branch'), headers: { 'if-match': '"1"' } });
    expect(again.body.revision).toBe(2);
    expectProblem(await s.request('PUT', '/api/calendars/sh-branch', { as: 'owner', body: calendar('sh-branch'), headers: { 'if-match': '"1"' } }), 409, 'calendar.revision.stale');
  });

  test('422 names each bad part of a calendar; 404 unknown; 403 for analysts', async () => {
    const bad = { ...calendar('x-branch'), utcOffset: 'Beijing', weekdays: [1, 1], workingHours: [{ start: '18:00', end: '09:00' }] };
    const res = await s.request('PUT', '/api/calendars/other', { as: 'owner', body: bad });
    expectProblem(res, 422, 'calendar.invalid');
    expect(errorPaths(res)).toEqual(expect.arrayContaining(['/id', '/utcOffset', '/weekdays/1', '/workingHours/0']));
    // Shape errors (a weekday that is no weekday number) are caught by the request schema first.
    const shape = await s.request('PUT', '/api/calendars/other', { as: 'owner', body: { ...calendar('other'), weekdays: [9] } });
    expectProblem(shape, 400, 'request.body.invalid');
    expect(errorPaths(shape)).toEqual(['/weekdays/0']);
    expectProblem(await s.request('GET', '/api/calendars/nowhere', { as: 'owner' }), 404, 'calendar.not-found');
    expectProblem(await s.request('PUT', '/api/calendars/sh-branch', { as: 'analyst', body: calendar('sh-branch') }), 403, 'auth.role.missing');
  });
});
