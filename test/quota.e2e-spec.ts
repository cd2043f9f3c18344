import { ADMIN_KEY, eventually, startGateway, tempDataDir, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

const nextMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
};

describe('monthly quota and usage', () => {
  let gw: TestGateway;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway({ USAGE_SYNC_MS: '100' });
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
  });

  const usageInList = async (id: string) => {
    const res = await gw.http().get('/v1/admin/api-clients?limit=500').set(admin).expect(200);
    return res.body.data.find((c: { id: string }) => c.id === id).usage_this_month as number;
  };

  it('refuses requests past monthlyQuota with 429 QUOTA_EXCEEDED and the reset time', async () => {
    const c = await createClient(gw, { monthlyQuota: 3 });
    for (let i = 1; i <= 3; i++) {
      const me = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      expect(me.body.data).toMatchObject({ monthly_quota: 3, usage_this_month: i, usage_resets_at: nextMonth() });
    }
    const refused = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    expect(refused.body.error.code).toBe('QUOTA_EXCEEDED');
    expect(refused.body.error.message).toContain(nextMonth());
    expect(refused.body.error.details).toEqual([{ field: 'monthlyQuota', message: `resets at ${nextMonth()}`, reset_at: nextMonth() }]);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(Math.abs(Date.now() + retryAfter * 1000 - Date.parse(nextMonth()))).toBeLessThan(5000);
    expect(refused.headers['x-ratelimit-limit']).toBe('120');
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    expect(await usageInList(c.id)).toBe(3); // refused requests are not usage
  });

  it('applies a PATCH of monthlyQuota to the very next request', async () => {
    const c = await createClient(gw, { monthlyQuota: 1 });
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).send({ monthlyQuota: 2 }).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).send({ monthlyQuota: null }).expect(200);
    const unlimited = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    expect(unlimited.body.data).toMatchObject({ monthly_quota: null, usage_this_month: 3 });
  });

  it('shows this month\'s usage in GET /v1/me and in the clients list; rate-limited and unauthenticated requests do not count', async () => {
    const c = await createClient(gw, { rateLimitPerMinute: 4, scopes: ['payments:read'] });
    const other = await createClient(gw);
    expect(await usageInList(c.id)).toBe(0);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    await gw.http().get('/v1/admin/api-clients').set('x-api-key', c.key).expect(403); // admitted, then refused by scope: counts
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    const me = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    expect(me.body.data.usage_this_month).toBe(4);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(429);
    expect(await usageInList(c.id)).toBe(4);
    expect(await usageInList(other.id)).toBe(0);
    const one = await gw.http().get(`/v1/admin/api-clients/${c.id}`).set(admin).expect(200);
    expect(one.body.data.usage_this_month).toBe(4);

    // Counted in memory, added to the table in batches.
    const rows = await eventually(async () => {
      const r = await gw.dataSource.query(`SELECT month, request_count FROM api_client_usage WHERE api_client_id = $1`, [c.id]);
      return r.length && Number(r[0].request_count) === 4 ? r : undefined;
    });
    expect(rows[0].month).toBe(new Date().toISOString().slice(0, 7));
  });
});

describe('usage across restarts', () => {
  it('writes no row per request, and keeps the count across a restart', async () => {
    const env: Record<string, string> = process.env.DATABASE_URL ? {} : { DATABASE_URL: '', DATA_DIR: tempDataDir() };
    const first = await startGateway({ ...env, USAGE_SYNC_MS: '60000' });
    await first.reset();
    const c = await createClient(first, { monthlyQuota: 7 });
    for (let i = 0; i < 5; i++) await first.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    const [{ n }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM api_client_usage WHERE api_client_id = $1`, [c.id]);
    expect(Number(n)).toBe(0); // nothing written yet: the next sync is a minute away
    await first.close();

    const second = await startGateway(env);
    try {
      const me = await second.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      expect(me.body.data.usage_this_month).toBe(6);
      await second.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      const refused = await second.http().get('/v1/me').set('x-api-key', c.key).expect(429);
      expect(refused.body.error.code).toBe('QUOTA_EXCEEDED');
    } finally {
      await second.close();
    }
  });
});

// Two replicas share one PostgreSQL database (the embedded one serves a single process).
if (process.env.DATABASE_URL) {
  describe('quota across replicas', () => {
    it('counts the requests of every replica against one quota', async () => {
      const a = await startGateway({ USAGE_SYNC_MS: '100' });
      const b = await startGateway({ USAGE_SYNC_MS: '100' });
      try {
        await a.reset();
        const c = await createClient(a, { monthlyQuota: 4 });
        for (let i = 0; i < 4; i++) await b.http().get('/v1/me').set('x-api-key', c.key).expect(200);
        await eventually(async () => {
          const [row] = await a.dataSource.query(`SELECT request_count FROM api_client_usage WHERE api_client_id = $1`, [c.id]);
          return row && Number(row.request_count) === 4 ? row : undefined;
        });
        // A has not served this client yet: it starts from what every replica counted.
        const fromA = await a.http().get('/v1/me').set('x-api-key', c.key).expect(429);
        expect(fromA.body.error.code).toBe('QUOTA_EXCEEDED');
        await b.http().get('/v1/me').set('x-api-key', c.key).expect(429);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
