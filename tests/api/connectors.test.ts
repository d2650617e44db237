/** Service tasks through connectors: results mapped, retries, incidents an operator retries, lists, the webhook. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultConnectors, ScriptedConnectors, type Connector } from '@flowpath/runtime-api';
import { serviceFlow, webhookFlow } from '../helpers/flows';
import { expectProblem, startServer, type TestServer } from '../helpers/server';

let s: TestServer;
let hook: Server | undefined;

afterEach(async () => {
  await s.close();
  if (hook) await new Promise((ok) => hook?.close(ok));
  hook = undefined;
});

const applicant = { customerId: 'SV-1', idNumber: '310101199001011234' };

async function startService() {
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-service', data: applicant } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const getCase = async (id: string) => (await s.request('GET', `/api/cases/${id}`, { as: 'auditor' })).body;

describe('service tasks', () => {
  test('the connector runs after the start commits; its result is mapped and the gate flags a low score', async () => {
    const script = new ScriptedConnectors(['credit-bureau'], { 'credit-bureau': { score: 420 } });
    s = await startServer({ flows: [serviceFlow()], connectors: script.connectors() });
    const id = await startService();
    expect((await getCase(id)).waitingAt).toEqual(['bureau']);
    await s.settle();
    const c = await getCase(id);
    expect(c).toMatchObject({ status: 'completed', outcome: 'screened', data: { score: 420 } });
    expect(c.flags.map((f: { code: string }) => f.code)).toEqual(['low-score']);
    expect(script.calls).toEqual([expect.objectContaining({ connector: 'credit-bureau', nodeId: 'bureau', caseId: id, attempt: 1, input: { idNumber: applicant.idNumber } })]);
    const events = (await s.request('GET', `/api/cases/${id}/events`, { as: 'auditor' })).body.items;
    expect(events).toEqual([
      expect.objectContaining({ kind: 'service.call', status: 'done', attempts: 1 }),
      expect.objectContaining({ kind: 'event', status: 'done', payload: expect.objectContaining({ name: 'case.completed' }) }),
    ]);
    // An analyst sees the call, not the id number it carried.
    const masked = (await s.request('GET', `/api/cases/${id}/events`, { as: 'analyst' })).body.items[0];
    expect(masked.payload.input.idNumber).toBe('310***********1234');
  });

  test('a failing connector is retried per the node policy, then raises an incident an operator retries', async () => {
    const script = new ScriptedConnectors(['credit-bureau'], { 'credit-bureau': { score: 700 } });
    const events: { kind: string; payload: Record<string, unknown> }[] = [];
    s = await startServer({
      flows: [serviceFlow()],
      connectors: script.connectors(),
      eventSink: { deliver: async (kind, payload) => void events.push({ kind, payload }) },
    });
    script.fail('bureau', 'bureau.timeout', 'bureau did not answer').fail('bureau', 'bureau.timeout', `bureau did not answer for ${applicant.idNumber}`);
    const id = await startService();
    await s.settle();
    expect((await getCase(id)).waitingAt).toEqual(['bureau']);
    expect(script.calls).toHaveLength(1);

    s.clock.advance('PT1M');
    await s.settle();
    expect(script.calls.map((c) => c.attempt)).toEqual([1, 2]);
    const c = await getCase(id);
    expect(c).toMatchObject({ status: 'waiting', openIncidents: 1 });
    expect(c.incidents[0]).toMatchObject({ nodeId: 'bureau', code: 'bureau.timeout' });
    expect((await s.request('GET', '/api/cases?incident=true', { as: 'auditor' })).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(events.map((e) => e.payload.name)).toContain('incident.raised');
    // The bureau's error quotes the id number it was sent: the auditor reads it, the operator who
    // retries (no task of this case in their queues) sees it masked in the case and its audit trail.
    expect(c.incidents[0].message).toBe('bureau did not answer for 310101199001011234');
    const seenByOperator = (await s.request('GET', `/api/cases/${id}`, { as: 'operator' })).body;
    expect(seenByOperator.incidents[0].message).toBe('bureau did not answer for 310***********1234');
    const operatorAudit = JSON.stringify((await s.request('GET', `/api/cases/${id}/audit`, { as: 'operator' })).body);
    expect(operatorAudit).toContain('310***********1234');
    expect(operatorAudit).not.toContain(applicant.idNumber);
    const operatorEvents = JSON.stringify((await s.request('GET', `/api/cases/${id}/events`, { as: 'operator' })).body);
    expect(operatorEvents).not.toContain(applicant.idNumber);

    const incidentId = c.incidents[0].id as string;
    expectProblem(await s.request('POST', `/api/cases/${id}/incidents/${incidentId}/retry`, { as: 'app' }), 403, 'auth.role.missing');
    expectProblem(await s.request('POST', `/api/cases/${id}/incidents/inc-nope/retry`, { as: 'operator' }), 404, 'incident.not-found');
    const retried = await s.request('POST', `/api/cases/${id}/incidents/${incidentId}/retry`, { as: 'operator' });
    expect(retried.status).toBe(200);
    expect(retried.body.openIncidents).toBe(0);
    await s.settle();
    expect(await getCase(id)).toMatchObject({ status: 'completed', data: { score: 700 } });
    expectProblem(await s.request('POST', `/api/cases/${id}/incidents/${incidentId}/retry`, { as: 'operator' }), 404, 'incident.not-found');
    const audit = (await s.request('GET', `/api/cases/${id}/audit`, { as: 'auditor' })).body.items;
    expect(audit.find((e: { type: string }) => e.type === 'incident.retried')).toMatchObject({ actor: 'operator' });
  });

  test('Prefer: wait=n answers with the outcome of the automatic steps (instant decisions in one call)', async () => {
    const script = new ScriptedConnectors(['credit-bureau'], { 'credit-bureau': { score: 710 } });
    s = await startServer({ flows: [serviceFlow()], connectors: script.connectors() });
    s.rt.worker.start(20);
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-service', data: applicant }, headers: { prefer: 'wait=5' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('wait=5');
    expect(res.body).toMatchObject({ status: 'completed', outcome: 'screened', data: { score: 710 } });
    const plain = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-service', data: applicant } });
    expect(plain.body.waitingAt).toEqual(['bureau']);
  });

  test('Prefer: wait gives up after its time and answers with the case as it is', async () => {
    const never: Connector = { name: 'credit-bureau', description: 'hangs', handler: () => new Promise(() => undefined) };
    s = await startServer({ flows: [serviceFlow()], connectors: [never] });
    s.rt.worker.start(20);
    const started = Date.now();
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-service', data: applicant }, headers: { prefer: 'wait=1' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.body.waitingAt).toEqual(['bureau']);
  });

  test('the credit-bureau stand-in answers deterministically from the id', async () => {
    s = await startServer({ flows: [serviceFlow()] });
    const a = await startService();
    const b = await startService();
    await s.settle();
    const [ca, cb] = [await getCase(a), await getCase(b)];
    expect(ca.data.score).toBeGreaterThanOrEqual(300);
    expect(ca.data.score).toBeLessThanOrEqual(850);
    expect(cb.data.score).toBe(ca.data.score);
  });
});

describe('lists behind inList rules', () => {
  test('a blacklisted id stops the case; removing it lets the next case through', async () => {
    const script = new ScriptedConnectors(['credit-bureau'], { 'credit-bureau': { score: 700 } });
    s = await startServer({ flows: [serviceFlow()], connectors: script.connectors() });
    const put = await s.request('PUT', '/api/lists/credit-blacklist', { as: 'owner', body: { kind: 'blacklist', description: 'Court-listed debtors', entries: [{ value: applicant.idNumber, note: 'court list 2026-02' }] } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ name: 'credit-blacklist', kind: 'blacklist', size: 1, revision: 1 });

    const stopped = await startService();
    await s.settle();
    expect(await getCase(stopped)).toMatchObject({ status: 'terminated', outcome: 'rejected' });

    await s.request('DELETE', '/api/lists/credit-blacklist/entries', { as: 'owner', body: { values: [applicant.idNumber] } });
    const passed = await startService();
    await s.settle();
    expect(await getCase(passed)).toMatchObject({ status: 'completed', outcome: 'screened' });
  });
});

describe('webhook connector', () => {
  async function listen(handler: (req: IncomingMessage, body: string) => { status: number; body: unknown }) {
    const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        const out = handler(req, body);
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out.body));
      });
    });
    await new Promise<void>((ok) => hook?.listen(0, '127.0.0.1', ok));
    return { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/events`, received };
  }

  test('POSTs to the configured target with the request id as Idempotency-Key and maps the answer', async () => {
    const { url, received } = await listen(() => ({ status: 200, body: { ack: 'crm-777' } }));
    s = await startServer({ flows: [webhookFlow()], connectors: defaultConnectors({ webhookTargets: { crm: url } }) });
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-webhook', data: { customerId: 'WH-1' } } });
    await s.settle();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toEqual({ event: 'case.started', customerId: 'WH-1' });
    expect(received[0]!.headers['idempotency-key']).toEqual(expect.any(String));
    expect(received[0]!.headers['x-flowpath-case']).toBe(res.body.id);
    expect(await getCase(res.body.id)).toMatchObject({ status: 'completed', data: { ack: 'crm-777' } });
  });

  test('a target answering 500 fails the call and, with no retries left, raises an incident', async () => {
    const { url } = await listen(() => ({ status: 500, body: { error: 'down' } }));
    s = await startServer({ flows: [webhookFlow()], connectors: defaultConnectors({ webhookTargets: { crm: url } }) });
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-webhook', data: { customerId: 'WH-2' } } });
    await s.settle();
    const c = await getCase(res.body.id);
    expect(c.incidents).toEqual([expect.objectContaining({ nodeId: 'notify', code: 'webhook.status' })]);
  });

  test('a target that is not configured is refused without a network call (flows cannot name URLs)', async () => {
    s = await startServer({ flows: [webhookFlow()], connectors: defaultConnectors({ webhookTargets: {} }) });
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-webhook', data: { customerId: 'WH-3' } } });
    await s.settle();
    expect((await getCase(res.body.id)).incidents).toEqual([expect.objectContaining({ code: 'webhook.target.unknown' })]);
  });
});
