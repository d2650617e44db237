import { ConnectorError, type Connector } from './connector';
import { derive } from './stand-ins';

export interface WebhookOptions {
  /** Named destinations; a flow picks one with `input.target` (default `default`). Flows cannot name arbitrary URLs. */
  targets: Record<string, string>;
  /**
   * Answer for targets without a URL instead of failing: event notifications are logged as
   * delivered and the outside services the templates call get plausible stand-in answers.
   * For first looks and demos; a production install configures every target and turns it off.
   */
  sandbox?: boolean;
}

/** Stand-in answers of the outside services the templates reach through the webhook connector. */
const sandboxAnswers: Record<string, (input: Record<string, unknown>, requestId: string) => Record<string, unknown>> = {
  'police-id-verification': () => ({ result: 'consistent', faceScore: 0.96 }),
  'supply-chain-platform': (_i, id) => ({ verified: true, orderAmount: 100_000 * (1 + derive(`orders:${id}`, 50)) }),
  'dd-report-service': (_i, id) => ({ reportId: `DD${String(derive(`dd:${id}`, 1e8)).padStart(8, '0')}`, rating: ['AA', 'A', 'BBB'][derive(`rating:${id}`, 3)] }),
  'process-backlog': (_i, id) => ({ backlogId: `PB-${derive(`pb:${id}`, 100000)}` }),
  'realtime-risk-platform': (_i, id) => ({ score: derive(`risk:${id}`, 100), modelVersion: 'sandbox-1' }),
};

/**
 * Outbound HTTP: POSTs `input.payload` (or the input without `target`) as JSON to a configured
 * target, with the call's request id as `Idempotency-Key`. A non-2xx answer is a failure the
 * engine retries; a JSON object in the answer is merged into the result beside `status`.
 */
export function createWebhookConnector(opts: WebhookOptions): Connector {
  return {
    name: 'webhook',
    description: 'POSTs JSON to a configured target. Input: { target?, payload? | fields }. Result: the JSON object the target answered, plus status.',
    async handler(input, ctx) {
      const target = typeof input.target === 'string' ? input.target : 'default';
      const url = Object.prototype.hasOwnProperty.call(opts.targets, target) ? opts.targets[target] : undefined;
      const { target: _t, ...rest } = input;
      const payload = input.payload !== undefined ? input.payload : rest;
      if (!url) {
        if (!opts.sandbox) throw new ConnectorError('webhook.target.unknown', `no webhook target named ${target} is configured`);
        const answer = sandboxAnswers[target];
        if (answer) return { status: 200, sandbox: true, ...answer(rest, ctx.requestId) };
        if (target === 'default') return { status: 200, sandbox: true, delivered: true };
        throw new ConnectorError('webhook.target.unknown', `no webhook target named ${target} is configured`);
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': ctx.requestId, 'x-flowpath-case': ctx.caseId },
          body: JSON.stringify(payload),
          signal: ctx.signal,
        });
      } catch (e) {
        throw new ConnectorError('webhook.unreachable', `${target}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const body = await res.text();
      if (!res.ok) throw new ConnectorError('webhook.status', `${target} answered HTTP ${res.status}`);
      let parsed: unknown = null;
      try {
        parsed = body ? JSON.parse(body) : null;
      } catch {
        parsed = null;
      }
      const fields = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      return { delivered: true, ...fields, status: res.status };
    },
  };
}
