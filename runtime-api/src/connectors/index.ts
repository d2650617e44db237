import type { Connector } from './connector';
import { businessRegistryConnector, coreBankingConnector, creditBureauConnector, listLookupConnector, ocrConnector } from './stand-ins';
import { createWebhookConnector } from './webhook';

export { ConnectorError, ConnectorRegistry, type Connector, type ConnectorContext } from './connector';
export { createWebhookConnector, type WebhookOptions } from './webhook';
export { ScriptedConnectors, type ScriptedCall } from './scripted';
export { businessRegistryConnector, coreBankingConnector, creditBureauConnector, listLookupConnector, ocrConnector } from './stand-ins';

/** Names of the connectors Flowpath ships. */
export const DEFAULT_CONNECTOR_NAMES = ['business-registry', 'core-banking', 'credit-bureau', 'list-lookup', 'ocr', 'webhook'] as const;

/** The connectors Flowpath ships: OCR, list lookup, credit bureau, business registry, core banking and webhook. */
export function defaultConnectors(opts: { webhookTargets?: Record<string, string>; webhookSandbox?: boolean } = {}): Connector[] {
  return [
    ocrConnector,
    listLookupConnector,
    creditBureauConnector,
    businessRegistryConnector,
    coreBankingConnector,
    createWebhookConnector({ targets: opts.webhookTargets ?? {}, sandbox: opts.webhookSandbox ?? false }),
  ];
}
