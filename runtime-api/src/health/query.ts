/**
 * The parameters of the health routes, read into what the engine's health functions take: a
 * period of ISO instants (dates are whole days on the flow's business calendar), versions,
 * dimension filters typed by the case schema, a basis and a grouping. Every refusal names the
 * query parameter it is about, so a client can point at it.
 */
import type { BusinessCalendar, CaseField, DimValue, FlowDefinition, HealthBasis } from '@flowpath/engine';
import { HttpProblem, type ProblemError } from '../http/problem';

/** A dimension of a flow: a case-schema field marked `dimension` and not `sensitive`. */
export interface Dimension {
  path: string;
  type: CaseField['type'];
}

/** Dimensions of a flow, over every version given (a field declared in any of them counts). */
export function dimensionsOf(defs: readonly FlowDefinition[]): Map<string, Dimension> {
  const out = new Map<string, Dimension>();
  const walk = (props: Record<string, CaseField>, prefix: string): void => {
    for (const [key, field] of Object.entries(props)) {
      // Personal data is never a dimension, whatever else the field says (as the engine decides).
      if (field.sensitive) continue;
      const path = prefix + key;
      if (field.dimension && !out.has(path)) out.set(path, { path, type: field.type });
      if (field.properties) walk(field.properties, `${path}.`);
    }
  };
  for (const d of defs) walk(d.caseSchema?.properties ?? {}, '');
  return out;
}

/** A bad query parameter: 400 with the parameter's path, and the code clients switch on. */
export function badParameter(name: string, code: string, message: string, params: Record<string, unknown> = {}): HttpProblem {
  const error: ProblemError = { path: `/${name}`, code, message, params, in: 'query' };
  return new HttpProblem(400, code, `Query parameter ${name}: ${message}`, { errors: [error] });
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar's local midnight starting `day`, as an ISO instant. */
export function localMidnight(cal: BusinessCalendar, day: string): string {
  return new Date(Date.parse(`${day}T00:00:00${cal.utcOffset}`)).toISOString();
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function validDate(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/**
 * An instant from a query value. A date is a whole day on the flow's calendar: as a start it is
 * that day's local midnight, as an end the next day's (so `to=2026-03-31` includes 31 March).
 */
export function parseInstant(name: string, value: unknown, cal: BusinessCalendar, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (DATE.test(text)) {
    if (!validDate(text)) throw badParameter(name, 'health.time.invalid', `${text} is not a calendar date`, { value: text });
    return localMidnight(cal, end ? nextDay(text) : text);
  }
  const t = Date.parse(text);
  // Only full ISO 8601 instants with a zone: a bare local time would depend on the server's zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(t)) {
    throw badParameter(name, 'health.time.invalid', `${text} is neither a date (YYYY-MM-DD) nor an ISO instant with a zone (2026-01-05T00:00:00Z; write + as %2B)`, {
      value: text,
    });
  }
  return new Date(t).toISOString();
}

/** A period `[from, to)`; `to` before `from` is refused. */
export function parsePeriod(query: Record<string, unknown>, cal: BusinessCalendar, names: { from: string; to: string } = { from: 'from', to: 'to' }): { from?: string; to?: string } {
  const from = parseInstant(names.from, query[names.from], cal, false);
  const to = parseInstant(names.to, query[names.to], cal, true);
  if (from !== undefined && to !== undefined && Date.parse(to) <= Date.parse(from)) {
    throw badParameter(names.to, 'health.period.invalid', `the period must end after it starts (${from} → ${to})`, { from, to });
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** An interval `start/end` (ISO 8601 interval notation; each side a date or an instant). */
export function parseInterval(name: string, value: unknown, cal: BusinessCalendar): { from: string; to: string } {
  const text = String(value ?? '');
  const parts = text.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw badParameter(name, 'health.period.invalid', `give a period as start/end, e.g. 2026-01-01/2026-03-31 (dates are whole days), not ${JSON.stringify(text)}`, { value: text });
  }
  const from = parseInstant(name, parts[0], cal, false) as string;
  const to = parseInstant(name, parts[1], cal, true) as string;
  if (Date.parse(to) <= Date.parse(from)) throw badParameter(name, 'health.period.invalid', `the period must end after it starts (${from} → ${to})`, { from, to });
  return { from, to };
}

/** `1,2` → versions, each of which must be published. */
export function parseVersions(name: string, value: unknown, published: readonly number[]): number[] | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const out: number[] = [];
  for (const part of text.split(',')) {
    const v = Number(part);
    if (!/^\d{1,9}$/.test(part) || !Number.isInteger(v) || v < 1) throw badParameter(name, 'health.version.invalid', `${JSON.stringify(part)} is not a version number`, { value: part });
    if (!published.includes(v)) throw badParameter(name, 'health.version.unknown', `the flow has no version ${v} (published: ${published.join(', ') || 'none'})`, { version: v, published });
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** One value of a dimension, typed as its case-schema field (`null` stands for "no value"). */
export function dimensionValue(name: string, dim: Dimension, raw: string): DimValue {
  if (raw === 'null') return null;
  if (dim.type === 'number' || dim.type === 'integer') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (dim.type === 'integer' && !Number.isInteger(n))) {
      throw badParameter(name, 'health.filter.value', `${dim.path} is ${dim.type === 'integer' ? 'an integer' : 'a number'}; ${JSON.stringify(raw)} is not`, { field: dim.path, value: raw });
    }
    return n;
  }
  if (dim.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw badParameter(name, 'health.filter.value', `${dim.path} is true or false; ${JSON.stringify(raw)} is not`, { field: dim.path, value: raw });
    return raw === 'true';
  }
  return raw;
}

/** A dimension by name, or 400 naming the flow's dimensions. */
export function requireDimension(name: string, field: string, dims: ReadonlyMap<string, Dimension>): Dimension {
  const dim = dims.get(field);
  if (!dim) {
    throw badParameter(name, 'health.dimension.unknown', `${JSON.stringify(field)} is not a dimension of the flow (case-schema fields marked dimension: ${[...dims.keys()].join(', ') || 'none'})`, {
      field,
      dimensions: [...dims.keys()],
    });
  }
  return dim;
}

/**
 * `filter=branchId:B01,B02;channel:mobile-app`: cases whose dimensions take one of the listed
 * values, every clause applying.
 */
export function parseFilter(name: string, value: unknown, dims: ReadonlyMap<string, Dimension>): Record<string, DimValue[]> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, DimValue[]> = {};
  for (const clause of String(value).split(';')) {
    const colon = clause.indexOf(':');
    if (colon <= 0 || colon === clause.length - 1) {
      throw badParameter(name, 'health.filter.syntax', `write field:value,value;field:value, not ${JSON.stringify(clause)}`, { clause });
    }
    const field = clause.slice(0, colon);
    const dim = requireDimension(name, field, dims);
    if (Object.prototype.hasOwnProperty.call(out, field)) throw badParameter(name, 'health.filter.repeated', `${field} is filtered twice; list its values once`, { field });
    out[field] = clause
      .slice(colon + 1)
      .split(',')
      .map((v) => dimensionValue(name, dim, v));
  }
  return out;
}

const BUILT_IN_GROUPS = ['version', 'status', 'outcome'];

/** `groupBy`: version, status, outcome or a dimension. */
export function parseGroupBy(name: string, value: unknown, dims: ReadonlyMap<string, Dimension>): string | undefined {
  if (value === undefined) return undefined;
  const by = String(value);
  if (BUILT_IN_GROUPS.includes(by)) return by;
  if (!dims.has(by)) {
    throw badParameter(name, 'health.group-by.unknown', `cannot group by ${JSON.stringify(by)}: use version, status, outcome or a dimension (${[...dims.keys()].join(', ') || 'none'})`, {
      groupBy: by,
      dimensions: [...dims.keys()],
    });
  }
  return by;
}

/** `basis`: ended (default) or started. */
export function parseBasis(value: unknown): HealthBasis {
  return value === 'started' ? 'started' : 'ended';
}

/** Does the caller want CSV: `?format=csv`, or an Accept header that names text/csv (and not before JSON)? */
export function wantsCsv(format: unknown, accept: string | undefined): boolean {
  if (format === 'csv') return true;
  if (format === 'json' || !accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]?.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.findIndex((t) => t === 'application/json');
  return csv >= 0 && (json < 0 || csv < json);
}
