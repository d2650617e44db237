/**
 * Local stand-ins for the systems a bank's flows call: deterministic, driven by the input data,
 * so flows can be tried end to end without the real services. Replace them with real clients by
 * registering connectors of the same names. Their results carry the fields the templates in
 * `process-templates/` map into case data.
 */
import { sha256 } from '../hash';
import { ConnectorError, type Connector } from './connector';

/** A number 0..n-1 derived from text, the same on every run. */
export function derive(text: string, n: number): number {
  return parseInt(sha256(text).slice(0, 12), 16) % n;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** Fields of one submitted document: `{ fields }`, a plain object, or a `data:application/json` URL. */
function readDocument(doc: unknown): Record<string, unknown> | null {
  if (isRecord(doc)) return isRecord(doc.fields) ? doc.fields : doc;
  if (typeof doc === 'string' && doc.startsWith('data:application/json')) {
    const comma = doc.indexOf(',');
    const meta = doc.slice(0, comma);
    const payload = doc.slice(comma + 1);
    try {
      const json = meta.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
      const parsed: unknown = JSON.parse(json);
      return isRecord(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * OCR: each input entry is a document (`{ businessLicense: <doc>, legalPersonId: <doc> }`); the
 * result has the fields read from each under the same name, and a `confidence` that is low when
 * a document could not be read (a bare file reference), so flows send it to manual review.
 */
export const ocrConnector: Connector = {
  name: 'ocr',
  description: 'Reads the fields of uploaded documents. Input: { <name>: { fields } | data:application/json URL | file reference }. Result: { <name>: fields, confidence }.',
  async handler(input) {
    const names = Object.keys(input);
    if (names.length === 0) throw new ConnectorError('ocr.document.missing', 'give at least one document');
    const out: Record<string, unknown> = {};
    let readable = 0;
    for (const name of names) {
      const fields = readDocument(input[name]);
      if (fields) readable += 1;
      out[name] = fields ?? { ref: text(input[name]) };
    }
    out.confidence = readable === names.length ? 0.97 : readable === 0 ? 0 : 0.5;
    return out;
  },
};

/**
 * List lookup: membership in the lists table. `list`/`lists` (array or comma-separated) name the
 * lists; `value` is checked, or else every other scalar input (name, id number...).
 */
export const listLookupConnector: Connector = {
  name: 'list-lookup',
  description: 'Screens values against named lists. Input: { lists: "a,b" | [..], value? | any other fields }. Result: { hit, lists, bestMatch, pep, sanctionHit }.',
  async handler(input, ctx) {
    const raw = input.lists ?? input.list;
    const names = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : []).map((n) => String(n).trim()).filter(Boolean);
    if (names.length === 0) throw new ConnectorError('list-lookup.input.invalid', 'name the lists to check: list or lists');
    const values =
      input.value !== undefined
        ? [input.value]
        : Object.entries(input)
            .filter(([k, v]) => k !== 'lists' && k !== 'list' && text(v) !== null)
            .map(([, v]) => v);
    const hits = names.filter((n) => values.some((v) => ctx.isInList(n, v)));
    return {
      hit: hits.length > 0,
      lists: hits,
      bestMatch: { score: hits.length > 0 ? 1 : 0, list: hits[0] ?? null },
      pep: hits.includes('pep'),
      sanctionHit: hits.includes('sanctions'),
    };
  },
};

/** Credit bureau: a score of 300..850 derived from the subject's id, overdue count, liabilities and litigation. */
export const creditBureauConnector: Connector = {
  name: 'credit-bureau',
  description: 'Credit report stand-in. Input: { idNumber | creditCode | id, monthlyDebt?, monthlyIncome?, litigation? }. Result: { queryId, score, grade, currentOverdueCount, totalLiabilities, litigation, debtRatio }.',
  async handler(input, ctx) {
    const id = text(input.idNumber) ?? text(input.creditCode) ?? text(input.id);
    if (!id) throw new ConnectorError('credit-bureau.subject.missing', 'give idNumber, creditCode or id');
    const score = 300 + derive(`score:${id}`, 551);
    const debt = typeof input.monthlyDebt === 'number' ? input.monthlyDebt : null;
    const income = typeof input.monthlyIncome === 'number' ? input.monthlyIncome : null;
    return {
      queryId: `CB${String(derive(`q:${ctx.requestId}`, 1e10)).padStart(10, '0')}`,
      score,
      grade: score >= 750 ? 'A' : score >= 650 ? 'B' : score >= 550 ? 'C' : 'D',
      currentOverdueCount: score >= 600 ? 0 : 1 + derive(`od:${id}`, 3),
      totalLiabilities: 10_000 * derive(`liab:${id}`, 500),
      litigation: typeof input.litigation === 'boolean' ? input.litigation : derive(`lit:${id}`, 100) < 10,
      debtRatio: debt !== null && income !== null && income > 0 ? Math.round((debt / income) * 1000) / 1000 : null,
    };
  },
};

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Business registry: registration status of a company by its unified social credit code. */
export const businessRegistryConnector: Connector = {
  name: 'business-registry',
  description: 'Company registry stand-in. Input: { creditCode, companyName? }. Result: { registered, status, abnormalOperation, legalRepresentative, judicial: { openCases }, established }.',
  async handler(input) {
    const code = text(input.creditCode);
    if (!code) throw new ConnectorError('business-registry.code.missing', 'input.creditCode is required');
    if (!CREDIT_CODE.test(code)) return { registered: false, status: 'not-found', abnormalOperation: false, judicial: { openCases: 0 } };
    const year = 1995 + derive(`year:${code}`, 30);
    const openCases = derive(`lit:${code}`, 100) < 8 ? 1 + derive(`cases:${code}`, 3) : 0;
    return {
      registered: true,
      status: derive(`status:${code}`, 100) < 3 ? 'revoked' : 'active',
      abnormalOperation: derive(`abn:${code}`, 100) < 5,
      companyName: text(input.companyName),
      legalRepresentative: text(input.legalPersonName),
      judicial: { openCases },
      established: `${year}-0${1 + derive(`month:${code}`, 9)}-1${derive(`day:${code}`, 9)}`,
    };
  },
};

/** Core banking: the operation named in `input.operation`; numbers derive from the request id, so a retried call gets the same account. */
export const coreBankingConnector: Connector = {
  name: 'core-banking',
  description: 'Core banking stand-in. Input: { operation, customerId, ... }. Result: what the operation returns (account numbers, references, profiles, limits).',
  async handler(input, ctx) {
    const op = text(input.operation) ?? 'unknown';
    const customer = text(input.customerId) ?? 'anonymous';
    const now = ctx.now().toISOString();
    const n = (label: string, digits: number): string => String(derive(`${label}:${ctx.requestId}`, 10 ** Math.min(digits, 15))).padStart(digits, '0');
    const ref = `TX${n('tx', 12)}`;
    switch (op) {
      case 'customer.profile':
      case 'customer.risk-profile':
        return {
          operation: op,
          payroll: { active: derive(`payroll:${customer}`, 100) < 40 },
          avgBalance6m: 1000 * derive(`bal:${customer}`, 500),
          complaints: { last12m: derive(`cmp:${customer}`, 100) < 80 ? 0 : 1 },
          riskAssessment: { level: 1 + derive(`risk:${customer}`, 5), date: now.slice(0, 10) },
          holdings: { firstAtThisRiskLevel: derive(`first:${customer}`, 100) < 30 },
          rm: { id: `RM${String(derive(`rm:${customer}`, 1000)).padStart(3, '0')}` },
        };
      case 'customer.behaviour':
        return { operation: op, stats: { transfers24h: derive(`t24:${customer}`, 5), avgAmount30d: 100 * derive(`avg:${customer}`, 200) }, profile: { usualCity: 'Shanghai' } };
      case 'credit-limit.query':
        return { operation: op, facility: { available: 100_000 * (5 + derive(`lim:${customer}`, 50)) } };
      case 'credit-limit.create':
        return { operation: op, limitId: `LM${n('lm', 10)}`, effectiveDate: now.slice(0, 10) };
      case 'loan.disburse':
        return { operation: op, loanAccount: `6222${n('loan', 12)}`, valueDate: now, contractNo: `JK${n('ct', 10)}`, transactionRef: ref };
      case 'corporate-account.open':
      case 'retail-account.open':
        return { operation: op, accountNumber: `6222${n('acct', 12)}`, openedAt: now };
      case 'pboc.account-register.query':
        return { operation: op, accounts: { typeIAtThisBank: 0, total: derive(`pboc:${text(input.idNumber) ?? customer}`, 4) } };
      case 'wealth.mandate.create':
        return { operation: op, mandateId: `MD${n('md', 10)}` };
      case 'wealth.subscribe':
        return { operation: op, orderId: `WO${n('wo', 10)}` };
      default:
        return { operation: op, transactionRef: ref, completedAt: now, accountNumber: `6222${n('acct', 12)}`, openedAt: now };
    }
  },
};
