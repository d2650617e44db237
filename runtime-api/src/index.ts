/**
 * @flowpath/runtime-api: the HTTP server, the Store and the runtime that moves cases.
 * Tests build an app in-process: open a store, create the app, `app.listen(0)`, and drive time
 * with a manual clock and `app.runtime.settle()` (timers and outbox) instead of sleeping.
 */
export { createApp, DEFAULT_BODY_LIMIT, type AppOptions, type FlowpathApp } from './app';
export { createManualClock, systemClock, durationMs, type Clock, type ManualClock } from './clock';
export { FlowpathRuntime, caseColumns, caseStream, type RuntimeOptions, type StartOptions, type TxScope } from './runtime/runtime';
export type { Scheduler } from './runtime/scheduler';
export type { OutboxWorker, EventSink } from './runtime/outbox-worker';
export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './store/sqlite-store';
export { sqliteMigrations } from './store/sqlite-migrations';
export { pgMigrations } from './store/pg-migrations';
export { openPgStore, dropPgSchema, checkPgConnection, DEFAULT_PG_SCHEMA, type PgStore, type PgStoreOptions } from './store/pg-store';
export { pgOptionsFromEnv, describePgUrl } from './store/pg-env';
export { copySqliteToPg, CopyError, COPIED_TABLES, type CopyOptions, type CopyResult } from './store/copy-to-pg';
export * from './store/store';
export { verifyAuditChain, auditHash, GENESIS_HASH, type AuditVerification } from './store/audit-chain';
export { PRODUCT_ROLES, parseApiKeys, type ApiKey, type Principal, type Role } from './http/auth';
export { buildOpenApi } from './http/openapi';
export { createValidators, schemaErrors } from './http/validator';
export { pathPattern } from './http/route';
export type { RouteSpec } from './http/route';
export { loadFlows, readTemplates, queuesAndRoles, firstLookKeys, resolveApiKeys } from './bootstrap';
export * from './connectors';
export { canonicalJson, contentHash, sha256 } from './hash';
export { maskValue, maskData, sensitiveFields } from './runtime/masking';
export { apiReference, openApiDocument } from './api-reference';
export { CaseFactsProjection, caseFactsRow, auditRecordOf, caseIdOfStream } from './health/projection';
export { loadHistory, assertNoCases, HistoryLoadError, SIMULATE_ACTOR, type LoadHistoryOptions, type LoadedHistory } from './health/history-loader';
export { DEMO_SPECS, demoHistorySpec, type DemoSpec, type DemoHistoryOptions } from './health/demo-history';
export { flowContext, healthReport, compareHealth, type FlowContext, type HealthScope, type CompareRequest, type CompareResult } from './health/service';
export { drainDigests, digestsCanAnswer } from './health/digests';
