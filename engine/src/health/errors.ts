/** A request the health functions cannot answer; `code` is stable, `params` fill its message. */
export class HealthError extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;

  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'HealthError';
    this.code = code;
    this.params = params;
  }
}
