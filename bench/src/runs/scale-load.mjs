#!/usr/bin/env node
// The request loop of run 4's memory check, run as its own process so it does not share the
// server's event loop: autocannon sends requests, alternating a case read
// (GET /api/cases/{id}, ids rotating over a sample of loaded cases) and a work-list page
// (GET /api/tasks), `amount` requests in all. Prints one JSON line with the counts.
// usage: node scale-load.mjs '<json: {url, connections, amount, key, caseIds}>'
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2] ?? '{}');
if (!opts.url || !/^http:\/\/127\.0\.0\.1:\d+$/.test(opts.url)) {
  console.error('scale-load.mjs: a loopback base url (http://127.0.0.1:PORT) is required');
  process.exit(2);
}
const ids = opts.caseIds ?? [];
if (ids.length === 0) {
  console.error('scale-load.mjs: caseIds must not be empty');
  process.exit(2);
}
let next = 0;
const r = await autocannon({
  url: opts.url,
  connections: opts.connections,
  amount: opts.amount,
  timeout: 20,
  headers: { authorization: `Bearer ${opts.key}` },
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => {
        next = (next + 1) % ids.length;
        return { ...req, path: `/api/cases/${ids[next]}` };
      },
    },
    { method: 'GET', path: '/api/tasks?limit=50' },
  ],
});
process.stdout.write(
  `${JSON.stringify({ ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, seconds: r.duration, p99: r.latency.p99, statusCodes: r.statusCodeStats })}\n`,
);
