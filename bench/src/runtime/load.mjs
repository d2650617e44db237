#!/usr/bin/env node
// The load generator of run 3, run as its own process so it does not share the server's event
// loop: autocannon with a warm-up, then the measured window. Prints one JSON line with results.
// usage: node load.mjs '<json: {url, connections, seconds, warmupSeconds, headers, body}>'
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2] ?? '{}');
if (!opts.url || !/^http:\/\/127\.0\.0\.1:\d+\//.test(opts.url)) {
  console.error('load.mjs: a loopback url (http://127.0.0.1:PORT/...) is required');
  process.exit(2);
}

const common = {
  url: opts.url,
  method: 'POST',
  connections: opts.connections,
  headers: { 'content-type': 'application/json', ...opts.headers },
  body: opts.body,
  timeout: 10,
};

if (opts.warmupSeconds > 0) await autocannon({ ...common, duration: opts.warmupSeconds });
const r = await autocannon({ ...common, duration: opts.seconds });
const ok = r['2xx'];
process.stdout.write(
  `${JSON.stringify({
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
    rate: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    statusCodes: r.statusCodeStats,
  })}\n`,
);
