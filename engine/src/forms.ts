import type { FormField, Issue } from './model';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks what an operator submitted against a task's form fields; paths are `/data/<key>`. */
export function validateTaskData(fields: readonly FormField[], data: unknown): Issue[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [{ code: 'form.data.type', severity: 'error', path: '/data', params: {} }];
  }
  const record = data as Record<string, unknown>;
  const issues: Issue[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(record)) {
    if (!known.has(key) && fields.length > 0) issues.push({ code: 'form.field.unknown', severity: 'error', path: `/data/${esc(key)}`, params: { field: key } });
  }
  for (const f of fields) {
    const path = `/data/${esc(f.key)}`;
    const present = Object.prototype.hasOwnProperty.call(record, f.key) && record[f.key] !== null && record[f.key] !== '';
    if (!present) {
      if (f.required && !f.readOnly) issues.push({ code: 'form.required', severity: 'error', path, params: { field: f.key } });
      continue;
    }
    if (f.readOnly) continue;
    const v = record[f.key];
    const bad = (code: string, params: Record<string, unknown> = {}) => issues.push({ code, severity: 'error', path, params: { field: f.key, ...params } });
    switch (f.type) {
      case 'string':
      case 'text':
        if (typeof v !== 'string') bad('form.type', { expected: 'string' });
        else {
          if (f.maxLength !== undefined && v.length > f.maxLength) bad('form.maxLength', { limit: f.maxLength });
          if (f.pattern !== undefined && !safeTest(f.pattern, v)) bad('form.pattern', { pattern: f.pattern });
        }
        break;
      case 'number':
      case 'integer':
        if (typeof v !== 'number' || !Number.isFinite(v) || (f.type === 'integer' && !Number.isInteger(v))) bad('form.type', { expected: f.type });
        else {
          if (f.minimum !== undefined && v < f.minimum) bad('form.minimum', { limit: f.minimum });
          if (f.maximum !== undefined && v > f.maximum) bad('form.maximum', { limit: f.maximum });
        }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad('form.type', { expected: 'boolean' });
        break;
      case 'date':
        if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(v))) bad('form.type', { expected: 'date' });
        break;
      case 'datetime':
        if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) bad('form.type', { expected: 'datetime' });
        break;
      case 'enum':
        if (typeof v !== 'string' || !(f.options ?? []).some((o) => o.value === v)) bad('form.enum', { allowed: (f.options ?? []).map((o) => o.value) });
        break;
    }
  }
  return issues;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
