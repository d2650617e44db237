import { expect, test } from 'vitest';
import type { ReleasePolicy } from '../store/store';
import { chooseVersion, stableBucket } from './release-policy';

const policy = (over: Partial<ReleasePolicy> = {}): ReleasePolicy => ({ flowKey: 'f', defaultVersion: 1, pilots: [], split: null, revision: 1, updatedBy: 'o', updatedAt: '', ...over });
const never = () => false;

test('without a policy new cases get the latest version', () => {
  expect(chooseVersion(undefined, 4, {}, 'c', null, never)).toBe(4);
});

test('the first pilot whose rule holds wins, before the split and the default', () => {
  const p = policy({
    pilots: [
      { id: 'a', when: { '==': [{ var: 'branch' }, 'A'] }, version: 2 },
      { id: 'b', when: { inList: ['pilot-branches', { var: 'branch' }] }, version: 3 },
    ],
    split: { version: 4, percent: 100 },
  });
  expect(chooseVersion(p, 4, { branch: 'A' }, 'c', null, never)).toBe(2);
  expect(chooseVersion(p, 4, { branch: 'B' }, 'c', null, (list, v) => list === 'pilot-branches' && v === 'B')).toBe(3);
  expect(chooseVersion(p, 4, { branch: 'C' }, 'c', null, never)).toBe(4);
});

test('the split is stable per customer and close to its percentage', () => {
  const p = policy({ split: { version: 2, percent: 20 } });
  const versions = Array.from({ length: 2000 }, (_, i) => chooseVersion(p, 2, {}, `case-${i}`, `cust-${i}`, never));
  const share = versions.filter((v) => v === 2).length / versions.length;
  expect(share).toBeGreaterThan(0.16);
  expect(share).toBeLessThan(0.24);
  expect(chooseVersion(p, 2, {}, 'other-case', 'cust-7', never)).toBe(versions[7]);
  expect(stableBucket('x')).toBe(stableBucket('x'));
});
