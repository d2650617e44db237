/**
 * Connectors: the outside systems a service task calls, registered in code by name. A handler
 * gets the input the node computed from the case data and returns a JSON object, or throws a
 * ConnectorError; the engine maps the result into the case, or retries and raises an incident.
 */

/** What a handler knows about the call besides its input. */
export interface ConnectorContext {
  /** Unique per call and stable across retries of the same attempt: pass it on as an idempotency key. */
  requestId: string;
  caseId: string;
  nodeId: string;
  attempt: number;
  /** Aborted when the node's timeout passes. */
  signal: AbortSignal;
  /** Membership in the lists table (whitelists, blacklists). */
  isInList(list: string, value: unknown): boolean;
  now(): Date;
}

export interface Connector {
  name: string;
  description: string;
  handler(input: Record<string, unknown>, ctx: ConnectorContext): Promise<Record<string, unknown>>;
}

/** A failure the connector understood: `code` is stable and is what the incident shows. */
export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** The connectors of one runtime, by name. */
export class ConnectorRegistry {
  private readonly byName = new Map<string, Connector>();

  constructor(connectors: readonly Connector[]) {
    for (const c of connectors) {
      if (this.byName.has(c.name)) throw new Error(`connector ${c.name} is registered twice`);
      this.byName.set(c.name, c);
    }
  }

  get(name: string): Connector | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  list(): { name: string; description: string }[] {
    return this.names().map((n) => ({ name: n, description: (this.byName.get(n) as Connector).description }));
  }
}
