import type { CaseSchema } from '@flowpath/engine';
import { expect, test } from 'vitest';
import { maskData, maskRecord, maskValue, sensitiveFields } from './masking';

const schema: CaseSchema = {
  type: 'object',
  properties: {
    idNumber: { type: 'string', sensitive: true },
    name: { type: 'string', sensitive: true },
    city: { type: 'string' },
    contacts: { type: 'array', items: { type: 'object', properties: { mobile: { type: 'string', sensitive: true }, role: { type: 'string' } } } },
    company: { type: 'object', properties: { legalPerson: { type: 'object', sensitive: true, properties: { name: { type: 'string' } } } } },
  },
};

test('long identifiers keep their first 3 and last 4 characters; short values and non-strings become ***', () => {
  expect(maskValue('310101199001011234')).toBe('310***********1234');
  expect(maskValue('13800138000')).toBe('***');
  expect(maskValue(1200000)).toBe('***');
  expect(maskValue(null)).toBeNull();
});

test('case data: sensitive fields at any depth and in arrays; the original is untouched', () => {
  const data = { idNumber: '310101199001011234', name: '王小明', city: 'Shanghai', contacts: [{ mobile: '13800138000', role: 'spouse' }], company: { legalPerson: { name: '李' } } };
  const masked = maskData(data, sensitiveFields(schema));
  expect(masked).toEqual({ idNumber: '310***********1234', name: '***', city: 'Shanghai', contacts: [{ mobile: '***', role: 'spouse' }], company: { legalPerson: '***' } });
  expect(data.name).toBe('王小明');
});

test('free-form records: dotted keys (rule reads, task data), leaf names in nested data, and field/value pairs', () => {
  const s = sensitiveFields(schema);
  expect(maskRecord({ reads: { idNumber: '310101199001011234', city: 'SH' } }, s)).toEqual({ reads: { idNumber: '310***********1234', city: 'SH' } });
  expect(maskRecord({ data: { contacts: [{ mobile: '13800138000' }] } }, s)).toEqual({ data: { contacts: [{ mobile: '***' }] } });
  expect(maskRecord({ values: [{ field: 'name', value: 'x' }, { field: 'city', value: 'y' }] }, s)).toEqual({ values: [{ field: 'name', value: '***' }, { field: 'city', value: 'y' }] });
});
