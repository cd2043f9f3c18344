import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

/**
 * Counters in memory always; in Redis too when REDIS_URL is set (CI sets it), so both
 * storages answer the same assertions.
 */
const storages: Array<[string, Record<string, string>]> = [
  ['memory', { REDIS_URL: '' }],
  ...(process.env.REDIS_URL ? [['Redis', { REDIS_URL: process.env.REDIS_URL }] as [string, Record<string, string>]] : []),
];

describe.each(storages)('rate limits with %s counters', (storage, storageEnv) => {
  let gw: TestGateway;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway({ ...storageEnv, AUTH_FAILURES_PER_MINUTE: '20' });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('lets exactly the limit through when 30 requests arrive at once', async () => {
    const c = await createClient(gw, { rateLimitPerMinute: 5 });
    const results = await Promise.all(Array.from({ length: 30 }, () => gw.http().get('/v1/me').set('x-api-key', c.key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(25);
    for (const r of refused) {
      expect(r.body.error.code).toBe('RATE_LIMITED');
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(r.headers['x-ratelimit-limit']).toBe('5');
      expect(r.headers['x-ratelimit-remaining']).toBe('0');
    }
  });

  it('answers X-RateLimit-Limit/Remaining/Reset on every authenticated response, a 403 included', async () => {
    const c = await createClient(gw, { rateLimitPerMinute: 10, scopes: ['payments:read'] });
    const ok = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    const forbidden = await gw.http().get('/v1/admin/api-clients').set('x-api-key', c.key).expect(403);
    const notFound = await gw.http().get('/v1/admin/api-clients/9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b').set(admin).expect(404);
    expect([ok.headers['x-ratelimit-limit'], ok.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
    expect([forbidden.headers['x-ratelimit-limit'], forbidden.headers['x-ratelimit-remaining']]).toEqual(['10', '8']);
    expect(notFound.headers['x-ratelimit-limit']).toBe('120');
    for (const r of [ok, forbidden, notFound]) {
      expect(Number(r.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const health = await gw.http().get('/v1/admin/health').expect(200);
    expect(health.headers['x-ratelimit-limit']).toBeUndefined(); // public: not limited
  });

  it('applies a PATCH of rateLimitPerMinute to the very next request', async () => {
    const c = await createClient(gw, { rateLimitPerMinute: 2 });
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).send({ rateLimitPerMinute: 10 }).expect(200);
    const raised = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    expect(raised.headers['x-ratelimit-limit']).toBe('10');
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).send({ rateLimitPerMinute: 3 }).expect(200);
    const lowered = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    expect(lowered.headers['x-ratelimit-limit']).toBe('3');
  });

  it('limits failed authentication per client IP; public routes do not count, valid keys still work', async () => {
    for (let i = 0; i < 30; i++) await gw.http().get(i % 2 ? '/v1/admin/health' : '/v1/health/live').expect(200);
    const bad = `capex_live_zzzz_${'1'.repeat(64)}`;
    for (let i = 0; i < 20; i++) {
      const res = await gw.http().get('/v1/me').set('x-api-key', i % 2 ? bad : 'garbage');
      expect([i, res.status]).toEqual([i, 401]);
    }
    for (const req of [gw.http().get('/v1/me').set('x-api-key', bad), gw.http().get('/v1/admin/api-clients')]) {
      const res = await req.expect(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }
    // A valid key is not a guess: a partner behind the same NAT keeps working.
    await gw.http().get('/v1/me').set(admin).expect(200);
    await gw.http().get('/v1/health/ready').expect(200);
  });

  if (storage === 'Redis' && process.env.DATABASE_URL) {
    it('shares the counters between replicas', async () => {
      const c = await createClient(gw, { rateLimitPerMinute: 4 });
      const replica = await startGateway({ ...storageEnv, REDIS_KEY_PREFIX: gw.config.REDIS_KEY_PREFIX });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const target = i % 2 ? replica : gw;
          statuses.push((await target.http().get('/v1/me').set('x-api-key', c.key)).status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      } finally {
        await replica.close();
      }
    });
  }
});
