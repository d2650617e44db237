/** Bounds on rules: checked when a flow is saved (depth, size) and while a rule runs (steps, depth). */
export interface RuleLimits {
  /** Deepest nesting of operations and literal lists. */
  maxDepth: number;
  /** Most JSON values (operations, arguments, literals) in one rule. */
  maxSize: number;
  /**
   * Most evaluation steps in one evaluation. Every operation or value evaluated is a step, and
   * every 16 characters or list items an operation reads or produces cost one more, so a rule
   * cannot spend unbounded time or memory on a large list.
   */
  maxSteps: number;
}

export const defaultRuleLimits: Readonly<RuleLimits> = Object.freeze({ maxDepth: 32, maxSize: 2000, maxSteps: 100_000 });

/** Limits with defaults filled in; non-positive or non-numeric values fall back to the default. */
export function resolveLimits(limits: Partial<RuleLimits> | undefined): RuleLimits {
  const pick = (k: keyof RuleLimits): number => {
    const v = limits?.[k];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : defaultRuleLimits[k];
  };
  return { maxDepth: pick('maxDepth'), maxSize: pick('maxSize'), maxSteps: pick('maxSteps') };
}
