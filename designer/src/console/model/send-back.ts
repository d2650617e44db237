import type { FormField } from '@flowpath/engine';

/** Option values that mean "back to the customer for more documents" in the templates' decision fields. */
const SEND_BACK_VALUES = ['return', 'request-documents', 'more-documents', 'supplement'];

/**
 * How a form sends a case back, when it can: a choice field with a send-back option and a
 * text field for what is asked of the customer (the templates' `…Decision: return` with
 * `returnReason`). Null when the form has no such pair.
 */
export function sendBackFields(fields: readonly FormField[]): { decision: string; value: string; reason: string } | null {
  for (const f of fields) {
    if (f.type !== 'enum' || f.readOnly) continue;
    const option = f.options?.find((o) => SEND_BACK_VALUES.includes(o.value));
    if (!option) continue;
    const reason =
      fields.find((x) => !x.readOnly && (x.type === 'text' || x.type === 'string') && /return|reason|documents/i.test(x.key)) ??
      fields.find((x) => !x.readOnly && x.type === 'text');
    if (reason) return { decision: f.key, value: option.value, reason: reason.key };
  }
  return null;
}
