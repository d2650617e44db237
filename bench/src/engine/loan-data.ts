/**
 * The inputs both engines get: case data, named lists, the OCR connector's answer and what a
 * person enters at each user task. Shared so the two sides cannot drift apart.
 */

/** Case data that takes the large-loan route: split, risk ‖ credit, join, approve. The measured case. */
export const LARGE_LOAN: Record<string, unknown> = { companyId: 'C5', amount: 5_000_000, debtRatio: 0.4, litigation: false, segment: 'standard', branch: 'SH01' };

/**
 * Cases that check the two files are equivalent before anything is timed: each must take the
 * same logical path in both engines.
 */
export const EQUIVALENCE_CASES: Record<string, Record<string, unknown>> = {
  'large loan (measured)': LARGE_LOAN,
  'green channel': { companyId: 'W-1', amount: 200_000, segment: 'strategic' },
  'default review': { companyId: 'C2', amount: 800_000, debtRatio: 0.82 },
  'litigation extra step': { companyId: 'C4', amount: 800_000, litigation: true },
  blacklisted: { companyId: 'BAD-1', amount: 100 },
};

/** The named lists behind the `inList` rules. */
export const LISTS: Record<string, string[]> = { blacklist: ['BAD-1', 'BAD-2'], whitelist: ['W-1', 'W-2'] };

export const OCR_RESULT = { licenceNo: '91310000MA1K' };

/** Form data entered at each user task, by node id (same ids on both sides). */
export const TASK_DATA: Record<string, Record<string, unknown>> = {
  'second-id': { secondIdOk: true },
  review: { approved: true },
  risk: { riskOpinion: 'no objection' },
  credit: { creditOpinion: 'approve at 4.1%' },
  approve: { approved: true },
};
