import { createApp } from './app';
import { renderApiMarkdown } from './http/api-markdown';
import { openSqliteStore } from './store/sqlite-store';

/** The OpenAPI document of the app, built without a data folder. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = openSqliteStore(':memory:');
  try {
    return createApp({ store, apiKeys: [] }).openapi;
  } finally {
    await store.close();
  }
}

/** docs/api.md as it should read now. */
export async function apiReference(): Promise<string> {
  return renderApiMarkdown(await openApiDocument());
}
