#!/usr/bin/env node
/**
 * What the request log and the limits cost on the request path.
 *
 *   npm run bench [-- --seconds 10 --connections 50 --rounds 2]
 *
 * Starts the built gateway (dist/) in a child process — the server on one core, autocannon
 * on the other — once as it ships ("on") and once with the request-log recorder and the
 * access policy (rate limit, origin, monthly quota) replaced by no-ops ("off"), alternating
 * rounds, and loads GET /v1/me with a valid key. Both modes run the same key check, the
 * same handler and the same pipes. The database is the embedded one in memory, or
 * DATABASE_URL's; REDIS_URL puts the rate-limit counters in Redis. Compare the numbers of
 * one run with each other only: the machine's load moves them between runs.
 */
'use strict';
const { fork } = require('node:child_process');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    serve: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
  },
});

if (args.serve) {
  serve(args.serve === 'on').catch((err) => {
    process.stderr.write(`bench server failed: ${err.stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err.stack}\n`);
    process.exit(1);
  });
}

/** Child: the gateway, with or without the request log and limits. */
async function serve(withRecordsAndLimits) {
  require('reflect-metadata');
  const { Test } = require('@nestjs/testing');
  const { ACCESS_POLICY, generateApiKey } = require('../dist/libs/common/src');
  const { AppModule } = require('../dist/src/app.module');
  const { configureApp } = require('../dist/src/app.setup');
  const { loadConfig } = require('../dist/src/config/app-config');
  const { RequestLogService } = require('../dist/src/request-log/request-log.service');
  const { AdminClientsService } = require('../dist/src/admin-clients/admin-clients.service');

  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    DATA_DIR: process.env.DATABASE_URL ? './.data' : 'memory://',
    ADMIN_BOOTSTRAP_KEY: generateApiKey('live').key,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (!withRecordsAndLimits) {
    builder = builder
      .overrideProvider(ACCESS_POLICY)
      .useValue({ admit: async () => undefined, refuse: async () => undefined })
      .overrideProvider(RequestLogService)
      .useValue({ recorder: () => (_req, _res, next) => next() });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true, rawBody: true });
  configureApp(app, config);
  await app.init();
  await app.listen(0, '127.0.0.1');
  // High enough never to be reached in a run: the limiter counts, it does not refuse.
  const client = await app.get(AdminClientsService).create({ name: 'bench', scopes: ['payments:read'], rateLimitPerMinute: 100000 });
  process.send({ port: app.getHttpServer().address().port, key: client.api_key });
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
}

/** Parent: alternate on/off servers, load each with autocannon, print the comparison. */
async function main() {
  const autocannon = require('autocannon');
  const seconds = Number(args.seconds);
  const connections = Number(args.connections);
  const results = { on: [], off: [] };
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const mode of ['on', 'off']) {
      const child = fork(__filename, ['--serve', mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        const { port, key } = await new Promise((resolve, reject) => {
          child.once('message', resolve);
          child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
        });
        const load = (duration) =>
          autocannon({
            url: `http://127.0.0.1:${port}/v1/me`,
            headers: { 'x-api-key': key },
            connections,
            duration,
          });
        await load(2); // warm-up: JIT, key cache, connection pools
        const r = await load(seconds);
        results[mode].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
        process.stdout.write(
          `round ${round + 1} ${mode.padEnd(3)}  ${r.requests.average.toFixed(0).padStart(6)} req/s  ` +
            `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}\n`,
        );
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
  }
  const mean = (xs, f) => xs.reduce((s, x) => s + f(x), 0) / xs.length;
  const on = mean(results.on, (r) => r.rps);
  const off = mean(results.off, (r) => r.rps);
  process.stdout.write(
    `\nGET /v1/me, ${connections} connections, ${seconds} s x ${args.rounds} rounds, ` +
      `${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database'}, ${process.env.REDIS_URL ? 'Redis' : 'memory'} counters\n` +
      `request log + limits on : ${on.toFixed(0)} req/s (p99 ${mean(results.on, (r) => r.p99).toFixed(1)} ms)\n` +
      `request log + limits off: ${off.toFixed(0)} req/s (p99 ${mean(results.off, (r) => r.p99).toFixed(1)} ms)\n` +
      `cost: ${(100 * (1 - on / off)).toFixed(1)}% of throughput\n`,
  );
}
