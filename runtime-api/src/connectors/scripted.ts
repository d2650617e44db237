/**
 * Connectors whose answers a test decides: a default answer per connector (a scenario's
 * `services`) and, per node, queued answers or failures for the next calls. Every call is
 * recorded. Used by the API tests and by template scenarios run through the API.
 */
import { ConnectorError, type Connector } from './connector';

export interface ScriptedCall {
  connector: string;
  nodeId: string;
  caseId: string;
  requestId: string;
  attempt: number;
  input: Record<string, unknown>;
}

type Planned = { ok: true; data: Record<string, unknown> } | { ok: false; code: string; message: string };

export class ScriptedConnectors {
  readonly calls: ScriptedCall[] = [];
  private readonly planned = new Map<string, Planned[]>();

  /** `defaults`: the answer of each connector when nothing is planned for the node called. */
  constructor(
    private readonly names: readonly string[],
    private readonly defaults: Record<string, Record<string, unknown>> = {},
  ) {}

  /** The next call at `nodeId` answers `data`. */
  respond(nodeId: string, data: Record<string, unknown>): this {
    this.plan(nodeId, { ok: true, data });
    return this;
  }

  /** The next call at `nodeId` fails with `code`. */
  fail(nodeId: string, code = 'connector.failed', message = 'scripted failure'): this {
    this.plan(nodeId, { ok: false, code, message });
    return this;
  }

  private plan(nodeId: string, p: Planned): void {
    const q = this.planned.get(nodeId) ?? [];
    q.push(p);
    this.planned.set(nodeId, q);
  }

  /** One Connector per name, to register with the runtime. */
  connectors(): Connector[] {
    return this.names.map((name) => ({
      name,
      description: `scripted ${name}`,
      handler: async (input, ctx) => {
        this.calls.push({ connector: name, nodeId: ctx.nodeId, caseId: ctx.caseId, requestId: ctx.requestId, attempt: ctx.attempt, input });
        const next = this.planned.get(ctx.nodeId)?.shift();
        if (next) {
          if (next.ok) return structuredClone(next.data);
          throw new ConnectorError(next.code, next.message);
        }
        return structuredClone(this.defaults[name] ?? {});
      },
    }));
  }
}
