import { describe, expect, it } from 'vitest';
import { caseSearchFromParams, caseSearchToParams, inDateRange, NO_CASE_SEARCH, serverCaseQuery } from './case-search';

describe('case search', () => {
  it('sends the server every filter it takes, and nothing empty', () => {
    const q = serverCaseQuery({ ...NO_CASE_SEARCH, flow: 'sme-loan', version: '2', status: 'waiting', waitingAt: ' credit-review ', breached: 'yes', incident: 'no', branch: 'SZ-SIP-003', customerRef: 'S2026' });
    expect(q).toEqual({ flow: 'sme-loan', version: 2, status: 'waiting', waitingAt: 'credit-review', breached: true, incident: false, branch: 'SZ-SIP-003', customerRef: 'S2026' });
    expect(serverCaseQuery(NO_CASE_SEARCH)).toEqual({});
    // a version without a flow means nothing
    expect(serverCaseQuery({ ...NO_CASE_SEARCH, version: '2' })).toEqual({});
  });

  it('sends the creation day range as instants: from the start of the first local day to the start of the day after the last', () => {
    const q = serverCaseQuery({ ...NO_CASE_SEARCH, from: '2026-03-02', to: '2026-03-03' });
    expect(q).toEqual({ startedFrom: new Date('2026-03-02T00:00:00').toISOString(), startedTo: new Date('2026-03-04T00:00:00').toISOString() });
    expect(serverCaseQuery({ ...NO_CASE_SEARCH, from: 'yesterday' })).toEqual({});
  });

  it('places creation times against a day range, both ends included', () => {
    const range = { from: '2026-03-02', to: '2026-03-03' };
    const local = (s: string) => new Date(s).toISOString();
    expect(inDateRange(local('2026-03-01T23:59:59'), range)).toBe('before');
    expect(inDateRange(local('2026-03-02T00:00:00'), range)).toBe('in');
    expect(inDateRange(local('2026-03-03T23:59:59'), range)).toBe('in');
    expect(inDateRange(local('2026-03-04T00:00:00'), range)).toBe('after');
    expect(inDateRange(local('2020-01-01T00:00:00'), { from: '', to: '' })).toBe('in');
  });

  it('round-trips through the address and ignores what it does not know', () => {
    const s = { ...NO_CASE_SEARCH, flow: 'sme-loan', breached: 'yes' as const, from: '2026-03-02' };
    expect(caseSearchToParams(s)).toBe('flow=sme-loan&breached=yes&from=2026-03-02');
    expect(caseSearchFromParams(caseSearchToParams(s))).toEqual(s);
    expect(caseSearchFromParams('status=exploded&breached=maybe&from=yesterday&evil=1')).toEqual(NO_CASE_SEARCH);
  });
});
