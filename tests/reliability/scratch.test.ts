import { test } from 'vitest';
import { reviewFlow, testFlows } from '../helpers/flows';
import { KEYS, startServer } from '../helpers/server';
import { createApp } from '@flowpath/runtime-api';
test('x', async () => {
  const s = await startServer({ flows: testFlows() });
  const app = createApp({ runtime: s.rt, apiKeys: Object.values(KEYS), logger: { info() {}, warn() {}, debug() {}, error(o: unknown) { console.log('ERR', JSON.stringify(o).slice(0, 1500)); } } as never });
  const srv = app.listen(0);
  await new Promise((r) => setTimeout(r, 100));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(url + path, { method, headers: { authorization: `Bearer ${KEYS.admin.key}`, 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const t = await r.text();
    console.log(method, path, r.status, t.slice(0, 300));
    return JSON.parse(t || 'null');
  };
  await call('POST', '/api/flows', { definition: { ...reviewFlow(), key: 'fuzz-flow' } });
  await call('PUT', '/api/flows/fuzz-flow/draft', { 'x': null, y: {} }, { 'if-match': '"1"' });
  const draft = await call('GET', '/api/flows/fuzz-flow/draft');
  void draft;
  srv.close();
  await s.close();
});
