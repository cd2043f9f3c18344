import type { Response } from 'supertest';
import { ADMIN_KEY, eventually, startGateway, tempDataDir, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

interface Row {
  id: string;
  api_client_id: string | null;
  method: string;
  path: string;
  status_code: number;
  latency_ms: number;
  request_id: string;
  ip: string | null;
  created_at: string;
}

describe('request log', () => {
  let gw: TestGateway;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
  });

  /** The rows of these request ids, once all of them are written. */
  const rowsOf = (requestIds: string[]) =>
    eventually(async () => {
      const res = await gw.http().get('/v1/admin/api-requests?limit=500').set(admin).expect(200);
      const rows = (res.body.data as Row[]).filter((r) => requestIds.includes(r.request_id));
      return rows.length === requestIds.length ? rows : undefined;
    });

  it('records requests however the path is cased or encoded, and masks keys in any form', async () => {
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    const secret = partner.key.split('_')[3];
    const encoded = partner.key.replace(/_/g, '%5F');
    await gw.http().get('/V1/ME').set('x-api-key', partner.key).set('x-request-id', 'case-1').expect(200);
    await gw.http().get(`/v1/payments/${encoded}`).set('x-api-key', partner.key).set('x-request-id', 'enc-1').expect(404);
    await gw.http().get(`/v1/nope/${partner.key.toUpperCase()}`).set('x-request-id', 'upper-1').expect(404);
    const keyAsId = await gw.http().get('/v1/me').set('x-api-key', partner.key).set('x-request-id', partner.key).expect(200);
    expect(keyAsId.headers['x-request-id']).not.toContain(secret);
    const rows = await rowsOf(['case-1', 'enc-1', 'upper-1', keyAsId.headers['x-request-id']]);
    expect(rows).toHaveLength(4);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.toUpperCase());
    expect(rows.find((r) => r.request_id === 'case-1')!.path).toBe('/V1/ME');
  });

  it('records every answer, refused ones included, with the contract fields and no secret', async () => {
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    const slow = await createClient(gw, { scopes: ['payments:*'], rateLimitPerMinute: 1 });
    const unknownKey = `capex_live_zzzz_${'0'.repeat(64)}`;
    const answers = [
      await gw.http().get('/v1/me').set('x-api-key', partner.key).expect(200),
      await gw.http().get('/v1/admin/api-clients?limit=abc&token=query-secret-value').set(admin).expect(400),
      await gw.http().post('/v1/admin/api-clients').set(admin).type('json').send('{"name": "body-secret-value",').expect(400),
      await gw.http().get('/v1/me').set('x-api-key', unknownKey).expect(401),
      await gw.http().get('/v1/admin/api-clients').set('x-api-key', partner.key).expect(403),
      await gw.http().get('/v1/no/such/route').set('x-api-key', partner.key).expect(404),
      await gw.http().post('/v1/admin/api-clients').set(admin).send({ name: 'x'.repeat(101 * 1024), scopes: ['kyc:read'] }).expect(413),
      await gw.http().get('/v1/me').set('x-api-key', slow.key).expect(200),
      await gw.http().get('/v1/me').set('x-api-key', slow.key).expect(429),
    ];
    const ids = answers.map((r) => r.headers['x-request-id'] as string);
    const rows = await rowsOf(ids);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    const [adminRow] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);

    const expected: Array<[number, string, string, string | null]> = [
      [200, 'GET', '/v1/me', partner.id],
      [400, 'GET', '/v1/admin/api-clients', adminRow.id],
      [400, 'POST', '/v1/admin/api-clients', adminRow.id], // refused by the parser: the client comes from the key cache
      [401, 'GET', '/v1/me', null],
      [403, 'GET', '/v1/admin/api-clients', partner.id],
      [404, 'GET', '/v1/no/such/route', partner.id],
      [413, 'POST', '/v1/admin/api-clients', adminRow.id],
      [200, 'GET', '/v1/me', slow.id],
      [429, 'GET', '/v1/me', slow.id],
    ];
    expected.forEach(([status, method, path, clientId], i) => {
      const row = byId.get(ids[i])!;
      expect(row).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        api_client_id: clientId,
        method,
        path,
        status_code: status,
        latency_ms: expect.any(Number),
        request_id: ids[i],
        ip: expect.stringMatching(/127\.0\.0\.1$/),
        created_at: expect.any(String),
      });
      expect(new Date(row.created_at).toISOString()).toBe(row.created_at);
    });
    expect(new Set(rows.map((r) => r.status_code))).toEqual(new Set([200, 400, 401, 403, 404, 413, 429]));

    const table = JSON.stringify(await gw.dataSource.query(`SELECT * FROM api_requests`));
    for (const secret of [partner.key, slow.key, ADMIN_KEY, unknownKey].map((k) => k.split('_')[3])) {
      expect(table).not.toContain(secret);
    }
    expect(table).not.toContain('query-secret-value');
    expect(table).not.toContain('body-secret-value');
    expect(table).not.toContain('token');
  });

  it('masks an API key that a caller put in the path', async () => {
    const partner = await createClient(gw);
    const res = await gw.http().get(`/v1/keys/${partner.key}`).expect(404);
    const [row] = await rowsOf([res.headers['x-request-id']]);
    expect(row.path).toBe(`/v1/keys/${partner.key.split('_').slice(0, 3).join('_')}_[redacted]`);
    expect(res.body.error.message).not.toContain(partner.key.split('_')[3]);
  });

  it('filters by client, path, status and time, newest first, with a cursor', async () => {
    const a = await createClient(gw, { name: 'A' });
    const b = await createClient(gw, { name: 'B' });
    const made = [
      await gw.http().get('/v1/me').set('x-api-key', a.key).expect(200),
      await gw.http().get('/v1/me').set('x-api-key', a.key).expect(200),
      await gw.http().get('/v1/admin/api-clients').set('x-api-key', a.key).expect(403),
      await gw.http().get('/v1/me').set('x-api-key', b.key).expect(200),
    ];
    const rows = await rowsOf(made.map((r) => r.headers['x-request-id']));
    const list = async (qs: string) => {
      const res = await gw.http().get(`/v1/admin/api-requests?${qs}`).set(admin).expect(200);
      return res.body.data as Row[];
    };

    const ofA = await list(`apiClientId=${a.id}`);
    expect(ofA.map((r) => [r.path, r.status_code])).toEqual([
      ['/v1/admin/api-clients', 403],
      ['/v1/me', 200],
      ['/v1/me', 200],
    ]);
    const me = await list('path=/v1/me');
    expect(me.map((r) => r.api_client_id)).toEqual([b.id, a.id, a.id]);
    const forbidden = await list('statusCode=403');
    expect(forbidden.map((r) => r.api_client_id)).toEqual([a.id]);
    expect(await list(`apiClientId=${b.id}&statusCode=403`)).toEqual([]);

    // since is inclusive, until exclusive: the row of B's request splits the list exactly.
    const pivot = rows.find((r) => r.api_client_id === b.id)!;
    const since = await list(`since=${pivot.created_at}&path=/v1/me`);
    expect(since.every((r) => r.created_at >= pivot.created_at)).toBe(true);
    expect(since.map((r) => r.id)).toContain(pivot.id);
    const until = await list(`until=${pivot.created_at}&path=/v1/me`);
    expect(until.every((r) => r.created_at < pivot.created_at)).toBe(true);
    expect(until).toHaveLength(2);

    // Page through everything two at a time: newest first, nothing twice, nothing missed.
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await gw
        .http()
        .get(`/v1/admin/api-requests?apiClientId=${a.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(admin)
        .expect(200);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((r) => r.id)).toEqual(ofA.map((r) => r.id));
  });

  it.each([
    'apiClientId=abc',
    'statusCode=abc',
    'statusCode=99',
    'since=yesterday',
    'until=2026-13-01',
    'limit=0',
    'limit=501',
    'cursor=nonsense',
    'method=GET',
  ])('refuses ?%s with 400', async (qs) => {
    const res = await gw.http().get(`/v1/admin/api-requests?${qs}`).set(admin).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('needs admin:read', async () => {
    const writer = await createClient(gw, { scopes: ['admin:write'] });
    await gw.http().get('/v1/admin/api-requests').set('x-api-key', writer.key).expect(403);
    await gw.http().get('/v1/admin/api-requests').expect(401);
  });
});

describe('request log at shutdown', () => {
  it('writes the rows it still holds when the gateway stops', async () => {
    // Embedded: a data directory both gateways open in turn. PostgreSQL: the test database.
    const env: Record<string, string> = process.env.DATABASE_URL ? {} : { DATABASE_URL: '', DATA_DIR: tempDataDir() };
    const first = await startGateway({ ...env, REQUEST_LOG_FLUSH_MS: '60000' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await first.http().get('/v1/me').set('x-api-key', ADMIN_KEY).expect(200);
      ids.push(res.headers['x-request-id']);
    }
    const [{ n: before }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM api_requests WHERE request_id = ANY($1)`, [ids]);
    expect(Number(before)).toBe(0); // nothing written yet: the flush interval is a minute
    await first.close();

    const second = await startGateway(env);
    try {
      const rows = await second.dataSource.query(`SELECT request_id, status_code FROM api_requests WHERE request_id = ANY($1)`, [ids]);
      expect(rows).toHaveLength(3);
      expect(rows.every((r: { status_code: number }) => r.status_code === 200)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
