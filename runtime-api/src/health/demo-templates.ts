/**
 * Demo behaviours for the main templates besides the SME loan: enterprise and personal account
 * opening (with the AML alert), complaint handling, the consumer loan and counter service. Each
 * runs version 1 (the template) at today's pace, as the source documents describe it before the
 * redesign, and a pilot (version 2, a modified copy tried at two branches) at the pace the
 * redesign aims for:
 *
 * | template | version 1 (today) | pilot (version 2) |
 * |---|---|---|
 * | enterprise-account-opening | first review about 2 working days, about 7 working days to open, 15 % sent back for documents | first review within 4 working hours (OCR pre-filled), 5 % sent back |
 * | personal-account-kyc | AML alert answered in about a day (24 h) | alert desk answers within 2 hours |
 * | complaint-handling | a senior agent takes the ticket after about 2 working days; CSAT about 85 % | priority response: within about 2 working hours, 24-hour limit; CSAT about 92 % |
 * | consumer-loan | exceptions re-checked after about 2 working days (T+1 mostly missed) | exceptions re-checked the same day (T+0 / T+1) |
 * | counter-service | about 15 minutes at the counter | pre-filled forms: about 5 minutes |
 *
 * Minutes of operators and customers are working minutes on the flow's calendar; connectors answer
 * in seconds of calendar time.
 */
import type { DrawContext, FlowDefinition, HistorySpec, Node, UserTaskNode } from '@flowpath/engine';
import type { DemoSpec } from './demo-history';

type Data = HistorySpec['segments'][number]['data'];

export const DEMO_BRANCHES = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06'];
/** The pilot's branches: one urban, one county, as the documents' rollout plans have it. */
const PILOT_BRANCHES = ['B01', 'B02'];
const branch = { oneOf: Object.fromEntries(DEMO_BRANCHES.map((b) => [b, 1])) };

/** Customers on the AML high-risk list (the gate stops them and raises an alert). */
const AML_LISTED = Array.from({ length: 20 }, (_, i) => `AML-DEMO-${String(i + 1).padStart(3, '0')}`);
/** ID numbers on the credit blacklist. */
const CREDIT_BLACKLIST = Array.from({ length: 20 }, (_, i) => `31010119700101${String(9000 + i)}`);

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const between = (rand: () => number, lo: number, hi: number): number => lo + rand() * (hi - lo);
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A standard normal draw. */
function normal(rand: () => number): number {
  let u = rand();
  while (u <= Number.EPSILON) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A fake but well-formed mainland ID number (the field is personal data; the demo never uses real ones). */
const fakeIdNumber = ({ index }: DrawContext): string => `310101198${index % 10}0101${String(1000 + (index % 9000)).padStart(4, '0')}`;

/** A birth date: aged between `lo` and `hi` at the time of the draw, or with chance `olderChance` between `hi` and `oldest`. */
function birthDate(lo: number, hi: number, olderChance: number, oldest: number) {
  return ({ rand, at }: DrawContext): string => {
    const age = rand() < olderChance ? between(rand, hi, oldest) : between(rand, lo, hi);
    return new Date(Date.parse(at) - age * 365.25 * 86_400_000).toISOString().slice(0, 10);
  };
}

/** The pilot's copy of a template: the description says what it changes, `change` changes it. */
function pilotCopy(def: FlowDefinition, note: { 'zh-CN': string; en: string }, change: (f: FlowDefinition) => void): FlowDefinition {
  const f = structuredClone(def);
  change(f);
  f.description = {
    'zh-CN': `${def.description?.['zh-CN'] ?? ''}（试点：${note['zh-CN']}）`,
    en: `${def.description?.en ?? ''} (Pilot: ${note.en})`,
  };
  return f;
}

function userTask(f: FlowDefinition, id: string): UserTaskNode {
  const n = f.nodes.find((x: Node) => x.id === id);
  if (!n || n.kind !== 'user-task') throw new Error(`the template has no user task ${id}`);
  return n;
}

/** Staff ids `prefix-01` … */
const staff = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

const webhookDelivered = { delivered: { const: true } };

// ---------------------------------------------------------------------------------------------
// Enterprise account opening: 7 working days today; first review 2 working days → 4 hours.

const enterpriseCommon: Data = {
  companyName: { const: '演示企业有限公司' },
  unifiedCreditCode: ({ index }: DrawContext) => `91310000DM${String(index + 1).padStart(8, '0')}`,
  legalPersonName: { const: '演示法人' },
  legalPersonIdNumber: fakeIdNumber,
  legalPersonMobile: { const: '13800000000' },
  branchId: branch,
  channel: { oneOf: { 'branch-pad': 4, 'corporate-app': 3, counter: 2, 'remote-teller': 1 } },
  accountType: { oneOf: { basic: 12, general: 6, special: 1, temporary: 1 } },
  industryCode: { oneOf: { C3525: 2, F5123: 3, I6510: 1, E4813: 1, L7212: 1 } },
  registeredCapital: { lognormal: { median: 2_000_000, sigma: 1.1 }, round: 10_000 },
  beneficialOwnerCount: ({ rand }: DrawContext) => (rand() < 0.08 ? 3 : rand() < 0.5 ? 1 : 2),
  documents: { const: { businessLicense: 'upload://demo/licence.pdf', legalPersonId: 'upload://demo/id.jpg', articlesOfAssociation: 'upload://demo/articles.pdf', beneficialOwnerDeclaration: 'upload://demo/ubo.pdf' } },
};

const enterpriseAccountOpening: DemoSpec = {
  pilot: (def) =>
    pilotCopy(def, { 'zh-CN': 'OCR预填初审表单，初审4个工作小时内完成', en: 'first-review form pre-filled from OCR, first review within 4 working hours.' }, (f) => {
      const review = userTask(f, 'first-review');
      review.sla = { ...(review.sla ?? { duration: 'PT4H' }), duration: 'PT4H', mode: 'working', warnBefore: 'PT1H' };
    }),
  pilotField: 'branchId',
  pilotBranches: PILOT_BRANCHES,
  behaviour: {
    arrivals: { perWorkingDay: 12 },
    segments: [
      { name: 'strategic', weight: 1, data: { ...enterpriseCommon, customerId: { id: 'ENT-S' }, clientTier: { const: 'strategic' } } },
      { name: 'key', weight: 2, data: { ...enterpriseCommon, customerId: { id: 'ENT-K' }, clientTier: { const: 'key' } } },
      { name: 'standard', weight: 7, data: { ...enterpriseCommon, customerId: { id: 'ENT-' }, clientTier: { const: 'standard' } } },
      { name: 'aml-listed', weight: 0.05, data: { ...enterpriseCommon, customerId: ({ rand }: DrawContext) => pick(rand, AML_LISTED), clientTier: { const: 'standard' } } },
    ],
    tasks: {
      'remote-video-verification': {
        claimAfterMinutes: { median: 45, sigma: 0.7 },
        handleMinutes: { median: 15, sigma: 0.4 },
        form: { videoVerificationResult: { oneOf: { confirmed: 95, failed: 5 } }, videoVerificationNote: { const: '演示视频核验' } },
      },
      'first-review': {
        // Today: the account manager gets to it after about a day and a half of working time.
        claimAfterMinutes: { median: 700, sigma: 0.6 },
        handleMinutes: { median: 60, sigma: 0.5 },
        form: {
          firstReviewResult: { oneOf: { pass: 78, return: 17, reject: 5 } },
          returnReason: ({ data }: DrawContext) => (data.firstReviewResult === 'return' ? '营业执照影像不清晰' : undefined),
          firstReviewComment: { const: '演示初审意见' },
        },
        byVersion: {
          2: {
            claimAfterMinutes: { median: 75, sigma: 0.6 },
            handleMinutes: { median: 20, sigma: 0.4 },
            form: { firstReviewResult: { oneOf: { pass: 92, return: 5, reject: 3 } } },
          },
        },
      },
      'operations-review': {
        claimAfterMinutes: { median: 540, sigma: 0.6 },
        handleMinutes: { median: 45, sigma: 0.5 },
        form: { opsReviewResult: { oneOf: { approve: 97, reject: 3 } }, opsReviewComment: { const: '演示复核意见' } },
      },
      'compliance-review': {
        claimAfterMinutes: { median: 600, sigma: 0.6 },
        handleMinutes: { median: 50, sigma: 0.5 },
        form: { complianceReviewResult: { oneOf: { approve: 97, reject: 3 } }, amlRiskLevel: { oneOf: { low: 80, medium: 17, high: 3 } }, complianceComment: { const: '演示审查意见' } },
      },
    },
    waits: {
      'wait-documents': { replyChance: 0.85, afterMinutes: { median: 900, sigma: 0.7 }, data: { documents: enterpriseCommon.documents as { const: unknown } } },
      'wait-branch-signed': { replyChance: 0.96, afterMinutes: { median: 1200, sigma: 0.6 }, data: { sealCardNo: { id: 'YJK-DEMO-' } } },
    },
    services: {
      ocr: {
        latencySeconds: { median: 4 },
        failChance: 0.01,
        result: {
          businessLicense: ({ rand, data }: DrawContext) => ({
            creditCode: rand() < 0.02 ? '91310000XX00000000' : data.unifiedCreditCode,
            companyName: data.companyName,
            legalRepresentative: data.legalPersonName,
          }),
          confidence: ({ rand }: DrawContext) => round2(rand() < 0.08 ? between(rand, 0.6, 0.84) : between(rand, 0.86, 0.99)),
        },
      },
      'business-registry': {
        latencySeconds: { median: 2 },
        result: {
          status: { oneOf: { active: 985, revoked: 5, cancelled: 5, 'not-found': 5 } },
          legalRepresentative: ({ rand, data }: DrawContext) => (rand() < 0.04 ? '其他法人' : data.legalPersonName),
          abnormalOperation: { chance: 0.03 },
        },
      },
      'core-banking': { latencySeconds: { median: 3 }, failChance: 0.01, result: { accountNumber: { id: '31000100' }, openedAt: ({ at }: DrawContext) => at } },
      webhook: { latencySeconds: { median: 1 }, result: webhookDelivered },
    },
    operators: { 'account-manager': staff('am', 6), 'operations-review': staff('ops', 4), 'risk-compliance': staff('rc', 4), 'remote-teller': staff('rt', 3) },
    incidents: { retryAfterMinutes: { median: 60, sigma: 0.7 }, retryChance: 0.95 },
    lists: { 'aml-high-risk': AML_LISTED, 'strategic-clients': [] },
  },
};

// ---------------------------------------------------------------------------------------------
// Personal account opening with KYC / AML: the AML alert is answered in about a day today.

const personalCommon: Data = {
  customerName: { const: '演示客户' },
  idType: { const: 'resident-id' },
  idNumber: fakeIdNumber,
  mobile: { const: '13900000000' },
  nationality: ({ rand }: DrawContext) => (rand() < 0.03 ? pick(rand, ['US', 'GB', 'JP', 'KR']) : 'CN'),
  occupation: { oneOf: { 'office-worker': 70, student: 8, retired: 10, 'self-employed': 8, 'cash-intensive-business': 3, 'precious-metals-dealer': 1 } },
  branchId: branch,
  channel: { oneOf: { 'mobile-app': 55, vtm: 15, counter: 30 } },
  accountClass: { oneOf: { I: 45, II: 50, III: 5 } },
  accountPurpose: { oneOf: { salary: 35, savings: 25, investment: 15, 'daily-payments': 20, 'business-settlement': 5 } },
  faceImageRef: { const: 'upload://demo/face.jpg' },
};

const personalAccountKyc: DemoSpec = {
  pilot: (def) =>
    pilotCopy(def, { 'zh-CN': '反洗钱预警由集中预警岗优先处理，2小时内响应', en: 'AML alerts go to a central alert desk first, answered within 2 hours.' }, (f) => {
      const aml = userTask(f, 'aml-investigation');
      aml.priority = 90;
      aml.sla = { ...(aml.sla ?? { duration: 'PT2H' }), duration: 'PT2H', mode: 'working', warnBefore: 'PT30M' };
    }),
  pilotField: 'branchId',
  pilotBranches: PILOT_BRANCHES,
  behaviour: {
    arrivals: { perWorkingDay: 60, perOtherDay: 8 },
    segments: [
      { name: 'mass', weight: 85, data: { ...personalCommon, customerId: { id: 'P' }, segment: { const: 'mass' } } },
      { name: 'affluent', weight: 12, data: { ...personalCommon, customerId: { id: 'PA' }, segment: { const: 'affluent' } } },
      { name: 'private-banking', weight: 3, data: { ...personalCommon, customerId: { id: 'PB' }, segment: { const: 'private-banking' } } },
      { name: 'aml-listed', weight: 0.1, data: { ...personalCommon, customerId: ({ rand }: DrawContext) => pick(rand, AML_LISTED), segment: { const: 'mass' } } },
    ],
    tasks: {
      'aml-investigation': {
        // Today an alert waits for the AML team's next round: about a day.
        claimAfterMinutes: { median: 420, sigma: 0.5 },
        handleMinutes: { median: 40, sigma: 0.5 },
        form: { amlConclusion: { oneOf: { clear: 85, 'enhanced-due-diligence': 12, suspicious: 3 } }, amlComment: { const: '演示调查结论' } },
        byVersion: { 2: { claimAfterMinutes: { median: 35, sigma: 0.6 }, handleMinutes: { median: 30, sigma: 0.4 } } },
      },
      'ops-review': {
        claimAfterMinutes: { median: 25, sigma: 0.7 },
        handleMinutes: { median: 8, sigma: 0.4 },
        form: {
          opsDecision: { oneOf: { approve: 90, return: 7, reject: 3 } },
          requestedDocs: ({ data }: DrawContext) => (data.opsDecision === 'return' ? '开户用途证明' : undefined),
          opsComment: { const: '演示审核意见' },
        },
      },
    },
    waits: { 'wait-documents': { replyChance: 0.8, afterMinutes: { median: 480, sigma: 0.8 }, data: { purposeProof: { const: 'upload://demo/purpose.pdf' } } } },
    services: {
      // The police check (police-check) and the notice (notify-opened) both go through the webhook connector.
      webhook: {
        latencySeconds: { median: 2 },
        result: {
          result: ({ rand, data }: DrawContext) => (data.target === 'police-id-verification' ? (rand() < 0.99 ? 'consistent' : rand() < 0.6 ? 'inconsistent' : 'not-found') : undefined),
          faceScore: ({ rand, data }: DrawContext) => (data.target === 'police-id-verification' ? round2(rand() < 0.05 ? between(rand, 0.6, 0.79) : between(rand, 0.85, 0.99)) : undefined),
          ...webhookDelivered,
        },
      },
      'core-banking': {
        latencySeconds: { median: 2 },
        failChance: 0.005,
        result: {
          accounts: ({ rand, data }: DrawContext) => (data.operation === 'pboc.account-register.query' ? { typeIAtThisBank: rand() < 0.04 ? 1 : 0, total: Math.floor(rand() * 5) } : undefined),
          accountNumber: ({ data, index }: DrawContext) => (data.operation === 'retail-account.open' ? `62220200${String(index + 1).padStart(8, '0')}` : undefined),
        },
      },
      'list-lookup': {
        latencySeconds: { median: 1 },
        result: {
          bestMatch: ({ rand }: DrawContext) => ({ score: round2(rand() < 0.06 ? between(rand, 0.8, 0.97) : between(rand, 0, 0.5)) }),
          pep: { chance: 0.01 },
          sanctionHit: { chance: 0.002 },
        },
      },
    },
    operators: { 'aml-investigation': staff('aml', 4), 'operations-review': staff('ops', 5) },
    incidents: { retryAfterMinutes: { median: 30, sigma: 0.7 }, retryChance: 0.95 },
    lists: { 'aml-high-risk': AML_LISTED },
  },
};

// ---------------------------------------------------------------------------------------------
// Complaint handling: priority response by a senior agent.

const complaintCommon: Data = {
  customerName: { const: '演示客户' },
  mobile: { const: '13700000000' },
  branchId: branch,
  channel: { oneOf: { hotline: 40, 'mobile-app': 25, branch: 15, wechat: 12, 'regulator-referral': 3, 'social-media': 5 } },
  complaintType: { oneOf: { 'service-attitude': 20, 'fee-dispute': 20, 'card-transaction': 20, loan: 10, 'wealth-mis-selling': 5, queueing: 10, 'system-fault': 10, other: 5 } },
  description: { const: '演示投诉内容' },
  amountInDispute: ({ rand, data }: DrawContext) =>
    data.complaintType === 'fee-dispute' || data.complaintType === 'card-transaction' || data.complaintType === 'wealth-mis-selling'
      ? Math.round(Math.exp(Math.log(800) + 1.6 * normal(rand)))
      : undefined,
  duplicateOfTicket: ({ rand }: DrawContext) => (rand() < 0.04 ? 'TS-DEMO-DUPLICATE' : undefined),
};

const complaintHandling: DemoSpec = {
  pilot: (def) =>
    pilotCopy(def, { 'zh-CN': '优先响应：高级坐席24小时内首次处理', en: 'priority response: a senior agent within 24 hours.' }, (f) => {
      const senior = userTask(f, 'senior-handling');
      senior.sla = { ...(senior.sla ?? { duration: 'PT24H' }), duration: 'PT24H', warnBefore: 'PT4H' };
    }),
  pilotField: 'branchId',
  pilotBranches: PILOT_BRANCHES,
  behaviour: {
    arrivals: { perWorkingDay: 15, perOtherDay: 4 },
    segments: [
      { name: 'mass', weight: 80, data: { ...complaintCommon, customerId: { id: 'CM' }, segment: { const: 'mass' } } },
      { name: 'affluent', weight: 12, data: { ...complaintCommon, customerId: { id: 'CA' }, segment: { const: 'affluent' } } },
      { name: 'private-banking', weight: 3, data: { ...complaintCommon, customerId: { id: 'CP' }, segment: { const: 'private-banking' } } },
      { name: 'corporate', weight: 5, data: { ...complaintCommon, customerId: { id: 'CC' }, segment: { const: 'corporate' } } },
    ],
    tasks: {
      'mis-selling-review': {
        claimAfterMinutes: { median: 240, sigma: 0.6 },
        handleMinutes: { median: 60, sigma: 0.5 },
        form: { recordingReviewed: { const: true }, misSellingFindings: { const: '演示双录核查结论' } },
      },
      'senior-handling': {
        // Today a complaint waits about two working days for a senior agent.
        claimAfterMinutes: { median: 900, sigma: 0.6 },
        handleMinutes: { median: 45, sigma: 0.5 },
        form: {
          contactedCustomer: { const: true },
          rootCause: { oneOf: { 'staff-service': 25, 'system-fault': 15, 'fee-policy': 20, 'product-disclosure': 10, 'customer-misunderstanding': 25, 'third-party': 5 } },
          // After an investigation the agent decides; no second investigation.
          resolutionType: ({ rand, data }: DrawContext) =>
            data.branchFindings !== undefined
              ? pick(rand, ['explanation', 'fee-refund', 'compensation', 'process-fix'])
              : pick(rand, ['explanation', 'explanation', 'explanation', 'explanation', 'explanation', 'fee-refund', 'fee-refund', 'compensation', 'process-fix', 'needs-investigation']),
          compensationAmount: ({ rand, data }: DrawContext) => (data.resolutionType === 'compensation' ? Math.round(Math.exp(Math.log(3000) + normal(rand))) : undefined),
          resolutionSummary: { const: '演示处理结果' },
        },
        byVersion: { 2: { claimAfterMinutes: { median: 100, sigma: 0.6 }, handleMinutes: { median: 40, sigma: 0.5 } } },
      },
      'branch-check': { claimAfterMinutes: { median: 300, sigma: 0.6 }, handleMinutes: { median: 40, sigma: 0.5 }, form: { branchFindings: { const: '演示网点核查' } } },
      'compliance-check': { claimAfterMinutes: { median: 360, sigma: 0.6 }, handleMinutes: { median: 40, sigma: 0.5 }, form: { complianceFindings: { const: '演示合规核查' } } },
      'compensation-approval': { claimAfterMinutes: { median: 120, sigma: 0.6 }, handleMinutes: { median: 15, sigma: 0.4 }, form: { compensationApproved: { chance: 0.95 }, approvalComment: { const: '演示审批意见' } } },
      'complaints-review': { claimAfterMinutes: { median: 480, sigma: 0.6 }, handleMinutes: { median: 60, sigma: 0.5 }, form: { escalationConclusion: { const: '演示复核结论' } } },
    },
    waits: {
      'wait-feedback': {
        replyChance: 0.7,
        afterMinutes: { median: 600, sigma: 0.8 },
        data: {
          // Customers whose complaint was settled within three days are more often satisfied: about
          // 85 % satisfied at today's pace, about 92 % with the pilot's priority response.
          customerSatisfied: ({ rand, data, at }: DrawContext) => rand() < (Date.parse(at) - Date.parse(String(data.acceptedAt)) <= 3 * 86_400_000 ? 0.93 : 0.72),
          satisfactionScore: ({ rand, data }: DrawContext) => (data.customerSatisfied === true ? (rand() < 0.55 ? 5 : 4) : pick(rand, [1, 2, 2, 3, 3])),
          feedbackComment: { const: '演示评价' },
        },
      },
    },
    services: {
      'core-banking': { latencySeconds: { median: 2 }, result: { complaints: ({ rand }: DrawContext) => ({ last12m: rand() < 0.1 ? 2 : rand() < 0.3 ? 1 : 0 }) } },
      webhook: { latencySeconds: { median: 1 }, failChance: 0.01, result: webhookDelivered },
    },
    operators: { 'senior-agent': staff('sa', 5), 'risk-compliance': staff('rc', 3), 'branch-supervisor': staff('bs', 6), complaints: staff('cq', 2) },
    incidents: { retryAfterMinutes: { median: 60, sigma: 0.7 }, retryChance: 0.95 },
  },
};

// ---------------------------------------------------------------------------------------------
// Consumer loan: automatic approval, manual re-check only for exceptions, T+1.

const consumerCommon: Data = {
  customerName: { const: '演示客户' },
  idNumber: fakeIdNumber,
  mobile: { const: '13600000000' },
  birthDate: birthDate(22, 58, 0.03, 66),
  branchId: branch,
  channel: { oneOf: { 'mobile-app': 60, 'mini-program': 20, 'branch-pad': 12, counter: 8 } },
  purpose: { oneOf: { 'home-renovation': 25, car: 20, education: 15, travel: 15, 'durable-goods': 25 } },
  termMonths: ({ rand }: DrawContext) => pick(rand, [12, 24, 24, 36, 36]),
  annualRate: { const: 7.2 },
  employer: { const: '演示单位' },
};

const consumerSegment = (income: number, amountMedian: number): Data => ({
  ...consumerCommon,
  monthlyIncome: { lognormal: { median: income, sigma: 0.5 }, round: 100 },
  requestedAmount: ({ rand }: DrawContext) => clamp(Math.round((amountMedian * Math.exp(0.8 * normal(rand))) / 1000) * 1000, 1000, 500_000),
});

const consumerLoan: DemoSpec = {
  pilot: (def) =>
    pilotCopy(def, { 'zh-CN': '异常件当日复核', en: 'exceptions re-checked the same day.' }, (f) => {
      const recheck = userTask(f, 'manual-recheck');
      recheck.sla = { ...(recheck.sla ?? { duration: 'T+1' }), duration: 'T+0', mode: 'working' };
    }),
  pilotField: 'branchId',
  pilotBranches: PILOT_BRANCHES,
  behaviour: {
    arrivals: { perWorkingDay: 60, perOtherDay: 10 },
    segments: [
      { name: 'mass', weight: 80, data: { ...consumerSegment(9_000, 30_000), customerId: { id: 'L' }, segment: { const: 'mass' } } },
      { name: 'affluent', weight: 17, data: { ...consumerSegment(20_000, 80_000), customerId: { id: 'LA' }, segment: { const: 'affluent' } } },
      { name: 'private-banking', weight: 3, data: { ...consumerSegment(50_000, 200_000), customerId: { id: 'LP' }, segment: { const: 'private-banking' } } },
      { name: 'blacklisted', weight: 0.3, data: { ...consumerSegment(9_000, 50_000), customerId: { id: 'LB' }, segment: { const: 'mass' }, idNumber: ({ rand }: DrawContext) => pick(rand, CREDIT_BLACKLIST) } },
    ],
    tasks: {
      'manual-recheck': {
        // Today an exception waits about two working days for the credit officer.
        claimAfterMinutes: { median: 1200, sigma: 0.6 },
        handleMinutes: { median: 25, sigma: 0.5 },
        form: {
          recheckDecision: { oneOf: { approve: 72, return: 10, reject: 18 } },
          approvedAmount: ({ data }: DrawContext) => data.requestedAmount,
          returnReason: ({ data }: DrawContext) => (data.recheckDecision === 'return' ? '请补充收入证明' : undefined),
          recheckComment: { const: '演示复核意见' },
        },
        byVersion: { 2: { claimAfterMinutes: { median: 90, sigma: 0.6 }, handleMinutes: { median: 20, sigma: 0.5 } } },
      },
    },
    waits: {
      'wait-bureau': {
        replyChance: 0.97,
        afterMinutes: { median: 3, sigma: 0.8 },
        data: {
          creditScore: ({ rand }: DrawContext) => clamp(Math.round(690 + 75 * normal(rand)), 300, 950),
          bureauOverdueCount: ({ rand }: DrawContext) => (rand() < 0.07 ? 1 : 0),
          monthlyDebtPayment: { lognormal: { median: 600, sigma: 1 }, round: 100 },
          litigationCount: ({ rand }: DrawContext) => (rand() < 0.03 ? 1 : 0),
        },
      },
      'wait-documents': { replyChance: 0.85, afterMinutes: { median: 480, sigma: 0.8 }, data: { incomeProof: { const: 'upload://demo/income.pdf' } } },
    },
    services: {
      'core-banking': {
        latencySeconds: { median: 2 },
        failChance: 0.005,
        result: {
          payroll: ({ rand, data }: DrawContext) => (data.operation === 'customer.profile' ? { active: rand() < 0.4 } : undefined),
          avgBalance6m: ({ rand, data }: DrawContext) => (data.operation === 'customer.profile' ? Math.round(Math.exp(Math.log(30_000) + normal(rand))) : undefined),
          loanAccount: ({ data, index }: DrawContext) => (data.operation === 'loan.disburse' ? `LN-DEMO-${String(index + 1).padStart(6, '0')}` : undefined),
          valueDate: ({ at, data }: DrawContext) => (data.operation === 'loan.disburse' ? at : undefined),
        },
      },
      'credit-bureau': { latencySeconds: { median: 2 }, failChance: 0.01, result: { queryId: { id: 'CRQ-' } } },
      webhook: { latencySeconds: { median: 1 }, result: webhookDelivered },
    },
    operators: { 'credit-approval': staff('cr', 5) },
    incidents: { retryAfterMinutes: { median: 30, sigma: 0.7 }, retryChance: 0.95 },
    lists: { 'aml-high-risk': [], 'credit-blacklist': CREDIT_BLACKLIST },
  },
};

// ---------------------------------------------------------------------------------------------
// Counter service, four-step method: 15 minutes today, under 5 with pre-filled forms.

const counterCommon: Data = {
  customerName: { const: '演示客户' },
  idNumber: fakeIdNumber,
  mobile: { const: '13500000000' },
  birthDate: birthDate(18, 65, 0.15, 85),
  branchId: branch,
  channel: { oneOf: { counter: 70, 'smart-teller': 20, vtm: 10 } },
  ticketNo: { id: 'A' },
  prefilled: { chance: 0.3 },
  faceImageRef: { const: 'upload://demo/face.jpg' },
};

const counterService: DemoSpec = {
  pilot: (def) =>
    pilotCopy(def, { 'zh-CN': '智能预填表单，柜员核对3分钟内完成', en: 'smart pre-filled forms; the teller checks within 3 minutes.' }, (f) => {
      const check = userTask(f, 'teller-check');
      check.sla = { ...(check.sla ?? { duration: 'PT3M' }), duration: 'PT3M', mode: 'calendar' };
    }),
  pilotField: 'branchId',
  pilotBranches: PILOT_BRANCHES,
  behaviour: {
    arrivals: { perWorkingDay: 120 },
    segments: [
      { name: 'mass', weight: 75, data: { ...counterCommon, customerId: { id: 'K' }, segment: { const: 'mass' }, serviceCode: { oneOf: { 'card-loss-report': 20, 'password-reset': 30, 'customer-info-update': 25, 'card-replacement': 15, 'account-closure': 5 } } } },
      { name: 'affluent', weight: 15, data: { ...counterCommon, customerId: { id: 'KA' }, segment: { const: 'affluent' }, serviceCode: { oneOf: { 'card-loss-report': 15, 'password-reset': 30, 'customer-info-update': 35, 'card-replacement': 15, 'account-closure': 5 } } } },
      { name: 'private-banking', weight: 3, data: { ...counterCommon, customerId: { id: 'KP' }, segment: { const: 'private-banking' }, serviceCode: { oneOf: { 'password-reset': 40, 'customer-info-update': 50, 'card-replacement': 10 } } } },
      { name: 'corporate', weight: 7, data: { ...counterCommon, customerId: { id: 'KC' }, segment: { const: 'corporate' }, serviceCode: { oneOf: { 'corporate-ebanking-signing': 80, 'customer-info-update': 20 } } } },
    ],
    tasks: {
      'manual-id-check': { claimAfterMinutes: { median: 0.3, sigma: 0.5 }, handleMinutes: { median: 1.5, sigma: 0.4 }, form: { manualIdChecked: { chance: 0.97 }, idCheckNote: { const: '演示人工核验' } } },
      'teller-check': {
        // Today the teller keys the form in: about 12 minutes.
        claimAfterMinutes: { median: 0.5, sigma: 0.5 },
        handleMinutes: { median: 12, sigma: 0.35 },
        form: { serviceDetailsConfirmed: { const: true }, feeAmount: ({ data }: DrawContext) => (data.serviceCode === 'card-replacement' ? 10 : 0), tellerNote: { const: '演示柜员核对' } },
        byVersion: { 2: { handleMinutes: { median: 2.2, sigma: 0.35 } } },
      },
      'supervisor-auth': { claimAfterMinutes: { median: 1.5, sigma: 0.5 }, handleMinutes: { median: 1, sigma: 0.4 }, form: { authorized: { chance: 0.98 }, authComment: { const: '演示授权' } } },
    },
    waits: {
      'wait-confirm': {
        replyChance: 0.99,
        afterMinutes: { median: 1.2, sigma: 0.4 },
        data: {
          customerConfirmed: { chance: 0.95 },
          confirmationIssue: ({ rand, data }: DrawContext) => (data.customerConfirmed === false ? (rand() < 0.7 ? 'details-wrong' : 'changed-mind') : undefined),
          eSignatureId: { id: 'ESIG-' },
        },
      },
    },
    services: {
      // Identity (verify-identity) and the receipt (send-receipt) both go through the webhook connector.
      webhook: {
        latencySeconds: { median: 2, sigma: 0.4 },
        result: {
          result: ({ rand, data }: DrawContext) => (data.target === 'police-id-verification' ? (rand() < 0.995 ? 'consistent' : 'inconsistent') : undefined),
          faceScore: ({ rand, data }: DrawContext) => (data.target === 'police-id-verification' ? round2(rand() < 0.06 ? between(rand, 0.6, 0.79) : between(rand, 0.85, 0.99)) : undefined),
          ...webhookDelivered,
        },
      },
      'core-banking': { latencySeconds: { median: 3, sigma: 0.4 }, failChance: 0.003, result: { transactionRef: { id: 'TXN-' }, completedAt: ({ at }: DrawContext) => at } },
    },
    operators: { 'counter-teller': staff('tl', 12), 'branch-supervisor': staff('bs', 6) },
    incidents: { retryAfterMinutes: { median: 5, sigma: 0.5 }, retryChance: 0.95 },
    lists: { 'aml-high-risk': AML_LISTED },
  },
};

/** The demo behaviours of this file, by flow key. */
export const TEMPLATE_DEMO_SPECS: Readonly<Record<string, DemoSpec>> = {
  'enterprise-account-opening': enterpriseAccountOpening,
  'personal-account-kyc': personalAccountKyc,
  'complaint-handling': complaintHandling,
  'consumer-loan': consumerLoan,
  'counter-service': counterService,
};
