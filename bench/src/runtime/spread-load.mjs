#!/usr/bin/env node
// The load generator of run 6, its own process: one autocannon instance per server process, the
// connections dealt out round-robin over them (32 over 3: 11 + 11 + 10), as a layer-4 load
// balancer would. Warm-up, then the measured window on all at once; latencies are taken from
// every response of the window, so the p99 is over all processes together. Each case started
// carries its own customerId; the ids answered 201 are written to `idsFile` for the caller to
// find in the database. It prints `measure-start` and `measure-end` as the measured window opens
// and closes (the caller reads CPU times then), and one JSON line with the results last.
//
// mode "start": POST /api/cases only. mode "mixed": each connection starts a case, then completes
// the task it opened (POST /api/tasks/{id}/complete as an operator), and so on.
//
// usage: node spread-load.mjs '<json: {urls, connections, seconds, warmupSeconds, mode, prefix,
//   appKey, operatorKey, flow, data, reviewData, idsFile}>'
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2] ?? '{}');
if (!Array.isArray(opts.urls) || opts.urls.length === 0 || !opts.urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+$/.test(u))) {
  console.error('spread-load.mjs: loopback base urls (http://127.0.0.1:PORT) are required');
  process.exit(2);
}

const json = { 'content-type': 'application/json' };
const appHeaders = { ...json, authorization: `Bearer ${opts.appKey}` };
const opHeaders = { ...json, authorization: `Bearer ${opts.operatorKey}` };
const completeBody = JSON.stringify({ data: opts.reviewData });

function startRequest(prefix, measured) {
  let n = 0;
  return {
    method: 'POST',
    path: '/api/cases',
    headers: appHeaders,
    setupRequest(req, ctx) {
      ctx.id = `${prefix}-${++n}`;
      ctx.taskId = undefined;
      return { ...req, body: JSON.stringify({ flow: opts.flow, data: { ...opts.data, customerId: ctx.id } }) };
    },
    onResponse(status, body, ctx) {
      if (status !== 201) return;
      if (measured.on) measured.started.push(ctx.id);
      else measured.warmStarted.push(ctx.id);
      if (opts.mode === 'mixed') ctx.taskId = JSON.parse(body).tasks?.[0]?.id;
    },
  };
}

function completeRequest(measured) {
  return {
    method: 'POST',
    headers: opHeaders,
    body: completeBody,
    setupRequest(req, ctx) {
      // No task (the start failed): skip back to a new start.
      if (!ctx.taskId) return null;
      return { ...req, path: `/api/tasks/${ctx.taskId}/complete` };
    },
    onResponse(status) {
      if (status === 200 && measured.on) measured.completed += 1;
    },
  };
}

/** Runs every instance for `seconds`; `measured.on` says whether the responses count. */
async function phase(seconds, measured, window) {
  const per = opts.urls.map((_, i) => Math.floor(opts.connections / opts.urls.length) + (i < opts.connections % opts.urls.length ? 1 : 0));
  const runs = opts.urls.map((url, i) => {
    const requests = [startRequest(`${opts.prefix}${window}${i}`, measured)];
    if (opts.mode === 'mixed') requests.push(completeRequest(measured));
    const instance = autocannon({ url, connections: per[i], duration: seconds, timeout: 10, requests });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (!measured.on) return;
      measured.latencies.push(ms);
      measured.statuses[status] = (measured.statuses[status] ?? 0) + 1;
    });
    return instance;
  });
  return Promise.all(runs);
}

const measured = { on: false, started: [], warmStarted: [], completed: 0, latencies: [], statuses: {} };
if (opts.warmupSeconds > 0) await phase(opts.warmupSeconds, measured, 'w');
measured.on = true;
process.stdout.write('measure-start\n');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const results = await phase(opts.seconds, measured, 'm');
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write('measure-end\n');

const lat = Float64Array.from(measured.latencies).sort();
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : NaN);
const ok = results.reduce((a, r) => a + r['2xx'], 0);
if (opts.idsFile) writeFileSync(opts.idsFile, JSON.stringify({ measured: measured.started, warmup: measured.warmStarted }));
process.stdout.write(
  `${JSON.stringify({
    ok,
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    errors: results.reduce((a, r) => a + r.errors, 0),
    timeouts: results.reduce((a, r) => a + r.timeouts, 0),
    seconds,
    rate: ok / seconds,
    started: measured.started.length,
    completed: measured.completed,
    p50: pct(50),
    p99: pct(99),
    max: lat.length ? lat[lat.length - 1] : NaN,
    statusCodes: measured.statuses,
    perProcess: results.map((r) => r['2xx']),
    generatorCpuMs: (cpu.user + cpu.system) / 1000,
  })}\n`,
);
