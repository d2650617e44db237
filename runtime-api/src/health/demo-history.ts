/**
 * Demo histories: how customers, operators, connectors and the outside world behave for a
 * template, so `flowpath simulate` can run months of realistic cases through the engine. The SME
 * loan comes with a tuned behaviour and a pilot (version 2) that a bank would try at two branches:
 * pre-filled review forms and a review limit of 4 working hours instead of T+1. The other main
 * templates' behaviours are in `demo-templates.ts`.
 */
import type { BusinessCalendar, DrawContext, FlowDefinition, HistorySpec, UserTaskNode } from '@flowpath/engine';
import { TEMPLATE_DEMO_SPECS } from './demo-templates';

/** What `flowpath simulate` needs to build a history for one template. */
export interface DemoSpec {
  /** The pilot's version (a modified copy of the template). */
  pilot(def: FlowDefinition): FlowDefinition;
  /** The case-data field the pilot is chosen by (a branch). */
  pilotField: string;
  /** Branches to pilot at when none are named. */
  pilotBranches: string[];
  /** Behaviour, except seed, period, versions and release. */
  behaviour: Omit<HistorySpec, 'seed' | 'from' | 'to' | 'versions' | 'release' | 'calendar'>;
}

const BRANCHES = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06'];
const WHITELIST = Array.from({ length: 300 }, (_, i) => `91310000WL${String(i + 1).padStart(6, '0')}`);
const BLACKLIST = ['91310000BK000001', '91310000BK000002', '91310000BK000003'];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** An amount in CNY: lognormal around `median`, rounded to ten thousand, within the case schema's bounds. */
function amount(median: number, sigma: number) {
  return ({ rand }: DrawContext): number => {
    let u = rand();
    while (u <= Number.EPSILON) u = rand();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return clamp(Math.round((median * Math.exp(sigma * z)) / 10_000) * 10_000, 10_000, 10_000_000);
  };
}

/** A fake but well-formed mainland ID number (the field is personal data; the demo never uses real ones). */
const fakeIdNumber = ({ index }: DrawContext): string => `310101198${index % 10}0101${String(1000 + (index % 9000)).padStart(4, '0')}`;

function smeLoanPilot(def: FlowDefinition): FlowDefinition {
  const f = structuredClone(def);
  const review = f.nodes.find((n) => n.id === 'credit-review') as UserTaskNode | undefined;
  if (review) review.sla = { ...(review.sla ?? { duration: 'PT4H' }), duration: 'PT4H', mode: 'working', warnBefore: 'PT1H' };
  f.description = {
    'zh-CN': `${def.description?.['zh-CN'] ?? ''}（试点：审批表单预填，审批时限4个工作小时）`,
    en: `${def.description?.en ?? ''} (Pilot: pre-filled review form, 4 working hours to decide.)`,
  };
  return f;
}

const common = {
  customerId: { id: 'SME' },
  legalPersonName: { const: '演示法人' },
  legalPersonIdNumber: fakeIdNumber,
  legalPersonMobile: { const: '13800000000' },
  enterpriseSize: { oneOf: { micro: 5, small: 3, 'individual-business': 2 } },
  branchId: { oneOf: Object.fromEntries(BRANCHES.map((b) => [b, 1])) },
  channel: { oneOf: { 'mobile-app': 5, 'mini-program': 2, 'branch-pad': 2, 'account-manager': 1 } },
  industryCode: { oneOf: { C3525: 2, F5123: 3, I6510: 1, E4813: 1 } },
  annualRevenue: amount(6_000_000, 0.8),
  termMonths: { uniform: [6, 36], integer: true },
  loanPurpose: { oneOf: { 'working-capital': 5, 'purchase-materials': 3, equipment: 1, payroll: 1 } },
} satisfies HistorySpec['segments'][number]['data'];

/** The SME loan (process-templates/sme-loan): whitelist instant approval, manual review within T+1. */
const smeLoan: DemoSpec = {
  pilot: smeLoanPilot,
  pilotField: 'branchId',
  pilotBranches: ['B01', 'B02'],
  behaviour: {
    arrivals: { perWorkingDay: 30, perOtherDay: 3 },
    segments: [
      {
        name: 'whitelisted',
        weight: 3,
        data: {
          ...common,
          companyId: ({ rand }: DrawContext) => WHITELIST[Math.floor(rand() * WHITELIST.length)] as string,
          companyName: { const: '演示白名单企业有限公司' },
          requestedAmount: amount(400_000, 0.5),
          preApprovedLimit: { const: 1_000_000 },
          preApprovedRate: { const: 3.65 },
        },
      },
      {
        name: 'standard',
        weight: 6,
        data: {
          ...common,
          companyId: { id: '91310000SM' },
          companyName: { const: '演示小微企业有限公司' },
          requestedAmount: amount(600_000, 0.8),
        },
      },
      {
        name: 'blacklisted',
        weight: 0.15,
        data: {
          ...common,
          companyId: ({ rand }: DrawContext) => BLACKLIST[Math.floor(rand() * BLACKLIST.length)] as string,
          companyName: { const: '演示黑名单企业' },
          requestedAmount: amount(500_000, 0.5),
        },
      },
    ],
    tasks: {
      'credit-review': {
        claimAfterMinutes: { median: 150, sigma: 0.9 },
        handleMinutes: { median: 30, sigma: 0.6 },
        form: {
          creditDecision: { oneOf: { approve: 76, return: 15, reject: 9 } },
          approvedAmount: ({ data }: DrawContext) => data.requestedAmount,
          approvedRate: { const: 4.2 },
          reviewComment: { const: '演示审批意见' },
        },
        // The pilot's pre-filled form: quicker to claim and to decide, fewer files sent back.
        byVersion: {
          2: {
            claimAfterMinutes: { median: 60, sigma: 0.8 },
            handleMinutes: { median: 14, sigma: 0.5 },
            form: { creditDecision: { oneOf: { approve: 84, return: 6, reject: 10 } } },
          },
        },
      },
    },
    waits: {
      'wait-documents': { replyChance: 0.85, afterMinutes: { median: 600, sigma: 0.8 }, data: { supplementaryDocs: { const: { bankStatements: 'uploaded', taxReturns: 'uploaded' } } } },
      'wait-contract': { replyChance: 0.93, afterMinutes: { median: 240, sigma: 0.9 }, data: { contractNo: { id: 'JK-DEMO-' } } },
    },
    services: {
      'business-registry': {
        latencySeconds: { median: 2 },
        result: {
          status: { oneOf: { active: 97, revoked: 1, cancelled: 1, 'not-found': 1 } },
          abnormalOperation: { chance: 0.03 },
          judicial: ({ rand }: DrawContext) => ({ openCases: rand() < 0.08 ? 1 : 0 }),
        },
      },
      'credit-bureau': {
        latencySeconds: { median: 3 },
        failChance: 0.02,
        result: {
          score: { uniform: [520, 860], integer: true },
          currentOverdueCount: ({ rand }: DrawContext) => (rand() < 0.06 ? 1 : 0),
          totalLiabilities: amount(1_200_000, 0.9),
        },
      },
      'core-banking': {
        latencySeconds: { median: 4 },
        failChance: 0.01,
        result: { loanAccount: { id: '6222026000' }, valueDate: ({ at }: DrawContext) => at, contractNo: { id: 'JK-DEMO-' } },
      },
      webhook: { latencySeconds: { median: 1 }, result: { delivered: { const: true } } },
    },
    operators: { 'credit-approval': ['cr-01', 'cr-02', 'cr-03', 'cr-04', 'cr-05', 'cr-06'] },
    incidents: { retryAfterMinutes: { median: 90, sigma: 0.7 }, retryChance: 0.95 },
    lists: { 'sme-whitelist': WHITELIST, 'sme-blacklist': BLACKLIST, 'aml-high-risk': [] },
  },
};

/** Built-in demo behaviours, by flow key. */
export const DEMO_SPECS: Readonly<Record<string, DemoSpec>> = { 'sme-loan': smeLoan, ...TEMPLATE_DEMO_SPECS };

export interface DemoHistoryOptions {
  /** The template as published (version 1). */
  template: FlowDefinition;
  /** Start (inclusive) and end (exclusive), ISO instants. */
  from: string;
  to: string;
  seed: number;
  calendar: BusinessCalendar;
  /** Run the pilot (version 2) from `pilotFrom` at these branches; none without. */
  pilot?: { branches: readonly string[]; from: string };
  /** New cases per working day instead of the behaviour's. */
  rate?: number;
}

/** The history spec `flowpath simulate` runs for a template with a demo behaviour (also used by the tests). */
export function demoHistorySpec(demo: DemoSpec, opts: DemoHistoryOptions): HistorySpec {
  const versions: HistorySpec['versions'] = [{ version: 1, definition: opts.template }];
  let release: HistorySpec['release'] = { version: 1 };
  if (opts.pilot) {
    versions.push({ version: 2, definition: demo.pilot(opts.template) });
    release = { version: 1, pilot: { version: 2, field: demo.pilotField, values: [...opts.pilot.branches], from: opts.pilot.from } };
  }
  const behaviour = opts.rate !== undefined ? { ...demo.behaviour, arrivals: { ...demo.behaviour.arrivals, perWorkingDay: opts.rate } } : demo.behaviour;
  return { ...behaviour, seed: opts.seed, from: opts.from, to: opts.to, calendar: opts.calendar, versions, release, caseIdPrefix: `demo-${opts.template.key}` };
}
