import type { CaseSchema } from '@flowpath/engine';
import { expect, test } from 'vitest';
import { maskData, maskRecord, maskText, maskTexts, maskValue, sensitiveFields, sensitiveTexts } from './masking';

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

test('free text: every sensitive value of the case quoted in it is masked, Chinese names too; other words stay', () => {
  const s = sensitiveFields(schema);
  const data = { idNumber: '310101199001011234', name: '王小明', city: 'Shanghai', contacts: [{ mobile: '13800138000', role: 'spouse' }], company: { legalPerson: { name: 'Li Wei' } } };
  const texts = sensitiveTexts(data, s);
  expect(texts).toEqual(['310101199001011234', '13800138000', 'Li Wei', '王小明']);
  const message = 'bureau rejected 310101199001011234 (王小明, mobile 13800138000) for Li Wei in Shanghai';
  expect(maskText(message, texts)).toBe('bureau rejected 310***********1234 (***, mobile ***) for *** in Shanghai');
  expect(maskTexts({ reason: 'called 13800138000', n: 3, list: ['王小明 absent'] }, texts)).toEqual({ reason: 'called ***', n: 3, list: ['*** absent'] });
  // Short Latin values (a code like "M") are not hunted in text; nothing sensitive, nothing changed.
  expect(sensitiveTexts({ name: 'M' }, s)).toEqual([]);
  expect(maskText(message, [])).toBe(message);
});
