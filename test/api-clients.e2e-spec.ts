import { ADMIN_KEY, sleep, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

const SEED_BODY = {
  name: 'Mobile App Production',
  scopes: ['products:*', 'customers:*', 'quotes:*', 'policies:*', 'payments:*', 'kyc:*'],
  contactEmail: 'dev@capitalexpressassurance.com',
  rateLimitPerMinute: 120,
};

describe('API clients and keys', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
  });

  const admin = () => ({ 'x-api-key': ADMIN_KEY });

  describe('POST /v1/admin/api-clients', () => {
    it("answers the seed's example with 201 in the seed's shape, and the new key works on GET /v1/me", async () => {
      const res = await gw.http().post('/v1/admin/api-clients').set(admin()).send(SEED_BODY).expect(201);
      expect(res.body.ok).toBe(true);
      const data = res.body.data;
      expect(data).toMatchObject({
        name: 'Mobile App Production',
        scopes: SEED_BODY.scopes,
        status: 'active',
        environment: 'live',
        contact_email: 'dev@capitalexpressassurance.com',
        rate_limit_per_minute: 120,
        monthly_quota: null,
        allowed_origins: [],
      });
      expect(data.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(data.key_prefix).toMatch(/^capex_live_[a-z0-9]{4}$/);
      expect(data.api_key.startsWith(`${data.key_prefix}_`)).toBe(true);
      expect(data.api_key).toMatch(/^capex_live_[a-z0-9]{4}_[A-Za-z0-9]{64}$/);

      const me = await gw.http().get('/v1/me').set('x-api-key', data.api_key).expect(200);
      expect(me.body.data).toEqual({
        id: data.id,
        name: 'Mobile App Production',
        environment: 'live',
        key_prefix: data.key_prefix,
        scopes: SEED_BODY.scopes,
        rate_limit_per_minute: 120,
        monthly_quota: null,
        usage_this_month: 1, // this request
        usage_resets_at: expect.any(String),
      });
    });

    it('creates test-environment keys and keeps only a hash of the key', async () => {
      const c = await createClient(gw, { environment: 'test', allowedOrigins: ['https://App.Example.com'] });
      expect(c.key).toMatch(/^capex_test_/);
      expect(c.body.allowed_origins).toEqual(['https://app.example.com']);
      const rows = await gw.dataSource.query(`SELECT * FROM api_keys WHERE api_client_id = $1`, [c.id]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(c.key.split('_')[3]);
      expect(Buffer.from(rows[0].key_hash)).toHaveLength(32);
    });

    it.each([
      [{ scopes: ['payments:*'] }, 'name'],
      [{ name: 'x' }, 'scopes'],
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['payments:delete'] }, 'scopes'],
      [{ name: 'x', scopes: ['root'] }, 'scopes'],
      [{ name: '   ', scopes: ['payments:*'] }, 'name'],
      [{ name: 'x', scopes: ['payments:*'], environment: 'prod' }, 'environment'],
      [{ name: 'x', scopes: ['payments:*'], contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ name: 'x', scopes: ['payments:*'], allowedOrigins: ['https://a.com/path'] }, 'allowedOrigins'],
      [{ name: 'x', scopes: ['payments:*'], allowedOrigins: ['ftp://a.com'] }, 'allowedOrigins'],
      [{ name: 'x', scopes: ['payments:*'], rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
      [{ name: 'x', scopes: ['payments:*'], rateLimitPerMinute: '120' }, 'rateLimitPerMinute'],
      [{ name: 'x', scopes: ['payments:*'], monthlyQuota: 1.5 }, 'monthlyQuota'],
      [{ name: 'x', scopes: ['payments:*'], isAdmin: true }, 'isAdmin'],
    ])('refuses %j with 400 VALIDATION_FAILED naming %s', async (body, field) => {
      const res = await gw.http().post('/v1/admin/api-clients').set(admin()).send(body).expect(400);
      expect(res.body.ok).toBe(false);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(res.body.error.request_id).toBe(res.headers['x-request-id']);
    });

    it('gives 20 concurrent creations 20 rows', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          gw.http().post('/v1/admin/api-clients').set(admin()).send({ name: `Partner ${i}`, scopes: ['payments:read'] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      const [{ n }] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM api_clients WHERE name LIKE 'Partner %'`);
      expect(Number(n)).toBe(20);
      const [{ k }] = await gw.dataSource.query(`SELECT count(DISTINCT key_hash)::int AS k FROM api_keys`);
      expect(Number(k)).toBe(21);
    });
  });

  describe('GET /v1/admin/api-clients', () => {
    it('lists clients newest first without key material, with filters and a cursor', async () => {
      const a = await createClient(gw, { name: 'A', environment: 'test' });
      const b = await createClient(gw, { name: 'B' });
      await gw.http().patch(`/v1/admin/api-clients/${b.id}`).set(admin()).send({ status: 'suspended' }).expect(200);

      const all = await gw.http().get('/v1/admin/api-clients').set(admin()).expect(200);
      expect(all.body.data.map((c: { name: string }) => c.name)).toEqual(['B', 'A', 'bootstrap admin']);
      expect(all.body.next_cursor).toBeNull();
      const text = JSON.stringify(all.body);
      expect(text).not.toContain(a.key);
      expect(text).not.toContain(b.key);
      expect(text).not.toContain('api_key');
      expect(text).not.toContain('hash');

      const suspended = await gw.http().get('/v1/admin/api-clients?status=suspended').set(admin()).expect(200);
      expect(suspended.body.data.map((c: { id: string }) => c.id)).toEqual([b.id]);
      const test = await gw.http().get('/v1/admin/api-clients?environment=test').set(admin()).expect(200);
      expect(test.body.data.map((c: { id: string }) => c.id)).toEqual([a.id]);

      const page1 = await gw.http().get('/v1/admin/api-clients?limit=2').set(admin()).expect(200);
      expect(page1.body.data).toHaveLength(2);
      expect(page1.body.next_cursor).toEqual(expect.any(String));
      const page2 = await gw
        .http()
        .get(`/v1/admin/api-clients?limit=2&cursor=${page1.body.next_cursor}`)
        .set(admin())
        .expect(200);
      expect(page2.body.data.map((c: { name: string }) => c.name)).toEqual(['bootstrap admin']);
      expect(page2.body.next_cursor).toBeNull();
    });

    it.each(['limit=0', 'limit=501', 'limit=abc', 'limit=1.5', 'limit=', 'status=deleted', 'cursor=nonsense', 'cursor=OTk5OTl8MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw', 'foo=1'])(
      'refuses ?%s with 400',
      async (qs) => {
        const res = await gw.http().get(`/v1/admin/api-clients?${qs}`).set(admin()).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      },
    );
  });

  describe('GET/PATCH /v1/admin/api-clients/:id', () => {
    it('answers 400 INVALID_ID for a non-UUID id and 404 NOT_FOUND for an unknown one', async () => {
      for (const [method, path] of [
        ['get', '/v1/admin/api-clients/client_01hwxyz'],
        ['patch', '/v1/admin/api-clients/123'],
        ['delete', '/v1/admin/api-clients/abc'],
        ['post', '/v1/admin/api-clients/abc/revoke'],
        ['post', '/v1/admin/api-clients/abc/rotate-key'],
      ] as const) {
        const res = await gw.http()[method](path).set(admin()).send({ name: 'x' });
        expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'INVALID_ID']);
      }
      const unknown = '9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b';
      for (const [method, path] of [
        ['get', `/v1/admin/api-clients/${unknown}`],
        ['patch', `/v1/admin/api-clients/${unknown}`],
        ['delete', `/v1/admin/api-clients/${unknown}`],
        ['post', `/v1/admin/api-clients/${unknown}/revoke`],
        ['post', `/v1/admin/api-clients/${unknown}/rotate-key`],
      ] as const) {
        const res = await gw.http()[method](path).set(admin()).send(method === 'patch' ? { name: 'x' } : {});
        expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'NOT_FOUND']);
      }
    });

    it('changes only the fields sent', async () => {
      const c = await createClient(gw, { name: 'Before', contactEmail: 'a@b.co', rateLimitPerMinute: 60, monthlyQuota: 1000 });
      const res = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ name: 'After' }).expect(200);
      expect(res.body.data).toMatchObject({
        name: 'After',
        contact_email: 'a@b.co',
        rate_limit_per_minute: 60,
        monthly_quota: 1000,
        scopes: ['payments:*'],
        status: 'active',
      });
      const cleared = await gw
        .http()
        .patch(`/v1/admin/api-clients/${c.id}`)
        .set(admin())
        .send({ monthlyQuota: null, allowedOrigins: ['https://x.example'] })
        .expect(200);
      expect(cleared.body.data).toMatchObject({ name: 'After', monthly_quota: null, allowed_origins: ['https://x.example'] });
      const got = await gw.http().get(`/v1/admin/api-clients/${c.id}`).set(admin()).expect(200);
      expect(got.body.data).toEqual(cleared.body.data);
    });

    it.each([['name'], ['scopes'], ['rateLimitPerMinute'], ['allowedOrigins'], ['status']])(
      'refuses %s: null with 400 naming the field (not a 500, not a database error)',
      async (field) => {
        const [{ id }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
        const res = await gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ [field]: null }).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
      },
    );

    it('refuses an empty PATCH, unknown fields and unknown scopes', async () => {
      const c = await createClient(gw);
      const empty = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({}).expect(400);
      expect(empty.body.error.code).toBe('VALIDATION_FAILED');
      const unknown = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ key_hash: 'x' }).expect(400);
      expect(unknown.body.error.details[0].field).toBe('key_hash');
      const scope = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ scopes: ['payments:all'] }).expect(400);
      expect(scope.body.error.details[0].field).toBe('scopes');
      const status = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ status: 'deleted' }).expect(400);
      expect(status.body.error.details[0].field).toBe('status');
    });

    it('applies a scope change to the very next request', async () => {
      const c = await createClient(gw, { scopes: ['admin:read'] });
      await gw.http().get('/v1/admin/api-clients').set('x-api-key', c.key).expect(200);
      await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ scopes: ['payments:read'] }).expect(200);
      const res = await gw.http().get('/v1/admin/api-clients').set('x-api-key', c.key).expect(403);
      expect(res.body.error.code).toBe('INSUFFICIENT_SCOPE');
      const me = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      expect(me.body.data.scopes).toEqual(['payments:read']);
    });

    it('refuses a suspended key on the very next request and accepts it again once active', async () => {
      const c = await createClient(gw);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ status: 'suspended' }).expect(200);
      const refused = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ status: 'active' }).expect(200);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    });
  });

  describe('revoke', () => {
    it.each([
      ['DELETE', (id: string) => ['delete', `/v1/admin/api-clients/${id}`] as const],
      ['POST …/revoke', (id: string) => ['post', `/v1/admin/api-clients/${id}/revoke`] as const],
      ['PATCH status revoked', (id: string) => ['patch', `/v1/admin/api-clients/${id}`] as const],
    ])('%s soft-deletes, kills the key on the very next request, and is final', async (_label, route) => {
      const c = await createClient(gw);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      const [method, path] = route(c.id);
      const res = await gw.http()[method](path).set(admin()).send(method === 'patch' ? { status: 'revoked' } : {}).expect(200);
      expect(res.body.data).toMatchObject({ id: c.id, status: 'revoked', revoked_at: expect.any(String) });
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);

      // The row stays, revoking again answers 200, and nothing brings it back.
      const [row] = await gw.dataSource.query(`SELECT status FROM api_clients WHERE id = $1`, [c.id]);
      expect(row.status).toBe('revoked');
      await gw.http().delete(`/v1/admin/api-clients/${c.id}`).set(admin()).expect(200);
      await gw.http().post(`/v1/admin/api-clients/${c.id}/revoke`).set(admin()).expect(200);
      const reactivate = await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin()).send({ status: 'active' }).expect(409);
      expect(reactivate.body.error.code).toBe('CLIENT_REVOKED');
      const rotate = await gw.http().post(`/v1/admin/api-clients/${c.id}/rotate-key`).set(admin()).expect(409);
      expect(rotate.body.error.code).toBe('CLIENT_REVOKED');
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
    });
  });

  describe('rotate-key', () => {
    it("answers the seed's camelCase shape; the old key fails on the very next request", async () => {
      const c = await createClient(gw);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      const res = await gw.http().post(`/v1/admin/api-clients/${c.id}/rotate-key`).set(admin()).expect(200);
      const data = res.body.data;
      expect(data).toMatchObject({
        id: c.id,
        name: 'Test client',
        apiKey: expect.stringMatching(/^capex_live_[a-z0-9]{4}_[A-Za-z0-9]{64}$/),
        keyPrefix: expect.stringMatching(/^capex_live_[a-z0-9]{4}$/),
        rotatedAt: expect.any(String),
        warning: 'This key is shown only once. Store it securely.',
        previousKeyExpiresAt: null,
      });
      expect(data.apiKey.startsWith(data.keyPrefix)).toBe(true);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
      const me = await gw.http().get('/v1/me').set('x-api-key', data.apiKey).expect(200);
      expect(me.body.data.key_prefix).toBe(data.keyPrefix);
    });

    it('keeps the old key working for gracePeriodSeconds, then refuses it', async () => {
      const c = await createClient(gw);
      const res = await gw
        .http()
        .post(`/v1/admin/api-clients/${c.id}/rotate-key`)
        .set(admin())
        .send({ gracePeriodSeconds: 2 })
        .expect(200);
      expect(Date.parse(res.body.data.previousKeyExpiresAt) - Date.parse(res.body.data.rotatedAt)).toBe(2000);
      const old = await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      expect(old.body.data.key_prefix).toBe(c.body.key_prefix); // /me names the key presented
      await gw.http().get('/v1/me').set('x-api-key', res.body.data.apiKey).expect(200);
      await sleep(2100);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
      await gw.http().get('/v1/me').set('x-api-key', res.body.data.apiKey).expect(200);
    });

    it('a second rotation ends the grace of the first key at once when it has no grace', async () => {
      const c = await createClient(gw);
      const first = await gw.http().post(`/v1/admin/api-clients/${c.id}/rotate-key`).set(admin()).send({ gracePeriodSeconds: 3600 });
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      const second = await gw.http().post(`/v1/admin/api-clients/${c.id}/rotate-key`).set(admin()).send({}).expect(200);
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
      await gw.http().get('/v1/me').set('x-api-key', first.body.data.apiKey).expect(401);
      await gw.http().get('/v1/me').set('x-api-key', second.body.data.apiKey).expect(200);
    });

    it.each([-1, 604801, 1.5, '60'])('refuses gracePeriodSeconds %p', async (grace) => {
      const c = await createClient(gw);
      const res = await gw
        .http()
        .post(`/v1/admin/api-clients/${c.id}/rotate-key`)
        .set(admin())
        .send({ gracePeriodSeconds: grace })
        .expect(400);
      expect(res.body.error.details[0].field).toBe('gracePeriodSeconds');
      await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    });
  });

  describe('LAST_ADMIN', () => {
    it('protects the last active admin:write client from revoke, suspend and losing the scope', async () => {
      const [{ id }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
      const attempts = [
        gw.http().delete(`/v1/admin/api-clients/${id}`).set(admin()),
        gw.http().post(`/v1/admin/api-clients/${id}/revoke`).set(admin()),
        gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ status: 'suspended' }),
        gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ status: 'revoked' }),
        gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ scopes: ['admin:read'] }),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect([res.status, res.body.error?.code]).toEqual([409, 'LAST_ADMIN']);
      }
      // A read-only admin does not count; a second admin:write client lifts the protection.
      await createClient(gw, { scopes: ['admin:read'] });
      await gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ scopes: ['admin:read'] }).expect(409);
      const other = await createClient(gw, { scopes: ['admin:write', 'admin:read'] });
      await gw.http().patch(`/v1/admin/api-clients/${id}`).set(admin()).send({ scopes: ['admin:read'] }).expect(200);
      const last = await gw.http().delete(`/v1/admin/api-clients/${other.id}`).set('x-api-key', other.key).expect(409);
      expect(last.body.error.code).toBe('LAST_ADMIN');
    });

    it('never lets concurrent revokes remove every admin', async () => {
      const a = await createClient(gw, { scopes: ['admin:*'] });
      const b = await createClient(gw, { scopes: ['admin:write'] });
      const [{ id: bootstrapId }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
      await gw.http().delete(`/v1/admin/api-clients/${bootstrapId}`).set('x-api-key', a.key).expect(200);
      // A and B try to revoke each other, many times at once: one admin must be left.
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2
            ? gw.http().post(`/v1/admin/api-clients/${a.id}/revoke`).set('x-api-key', b.key)
            : gw.http().post(`/v1/admin/api-clients/${b.id}/revoke`).set('x-api-key', a.key),
        ),
      );
      const [{ n }] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM api_clients WHERE status = 'active'`);
      expect(Number(n)).toBe(1);
      for (const r of results) {
        expect([200, 401, 409]).toContain(r.status);
        if (r.status === 409) expect(r.body.error.code).toBe('LAST_ADMIN');
      }
      expect(results.some((r) => r.status === 200)).toBe(true);
    });
  });

  describe('scopes and keys', () => {
    it('admin:read reads but cannot write; admin:* does both; other scopes get 403', async () => {
      const reader = await createClient(gw, { scopes: ['admin:read'] });
      const writer = await createClient(gw, { scopes: ['admin:write'] });
      const star = await createClient(gw, { scopes: ['admin:*'] });
      const partner = await createClient(gw, { scopes: ['payments:*', 'kyc:*'] });
      const body = { name: 'x', scopes: ['kyc:read'] };

      await gw.http().get('/v1/admin/api-clients').set('x-api-key', reader.key).expect(200);
      const w = await gw.http().post('/v1/admin/api-clients').set('x-api-key', reader.key).send(body).expect(403);
      expect(w.body.error.code).toBe('INSUFFICIENT_SCOPE');

      await gw.http().post('/v1/admin/api-clients').set('x-api-key', writer.key).send(body).expect(201);
      await gw.http().get('/v1/admin/api-clients').set('x-api-key', writer.key).expect(403);

      await gw.http().get('/v1/admin/api-clients').set('x-api-key', star.key).expect(200);
      await gw.http().post('/v1/admin/api-clients').set('x-api-key', star.key).send(body).expect(201);

      await gw.http().get('/v1/admin/api-clients').set('x-api-key', partner.key).expect(403);
      await gw.http().get('/v1/me').set('x-api-key', partner.key).expect(200);
    });

    it('answers missing, garbage, unknown, suspended and revoked keys with one identical 401', async () => {
      const suspended = await createClient(gw);
      const revoked = await createClient(gw);
      await gw.http().patch(`/v1/admin/api-clients/${suspended.id}`).set(admin()).send({ status: 'suspended' }).expect(200);
      await gw.http().delete(`/v1/admin/api-clients/${revoked.id}`).set(admin()).expect(200);
      const keys = [
        undefined,
        '',
        'garbage',
        'x'.repeat(5000),
        'capex_live_abcd_0000000000000000000000000000000000000000000000000000000000000000',
        suspended.key,
        revoked.key,
      ];
      const bodies = new Set<string>();
      for (const key of keys) {
        const req = gw.http().get('/v1/admin/api-clients');
        const res = await (key === undefined ? req : req.set('x-api-key', key)).expect(401);
        const { request_id, ...rest } = res.body.error;
        expect(request_id).toBe(res.headers['x-request-id']);
        bodies.add(JSON.stringify(rest));
      }
      expect([...bodies]).toEqual([JSON.stringify({ code: 'UNAUTHENTICATED', message: 'A valid x-api-key header is required' })]);
    });
  });
});
