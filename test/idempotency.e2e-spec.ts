import { ADMIN_KEY, sleep, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';
import { fingerprint } from '../src/idempotency/idempotency.service';

const REPLAYED = 'idempotent-replayed';

describe('Idempotency-Key', () => {
  let gw: TestGateway;
  let adminId: string;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
    [{ id: adminId }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await gw.dataSource.query(sql, params))[0].n);
  const clientsNamed = (name: string) => count(`SELECT count(*)::int AS n FROM api_clients WHERE name = $1`, [name]);
  const records = () => count(`SELECT count(*)::int AS n FROM idempotency_keys`);
  const create = (key: string, body: object, apiKey = ADMIN_KEY) =>
    gw.http().post('/v1/admin/api-clients').set('x-api-key', apiKey).set('Idempotency-Key', key).send(body);

  it('replays a finished request with its status and body, flagged, without running it again', async () => {
    const c = await createClient(gw, { name: 'Before' });
    const patch = () => gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).set('Idempotency-Key', 'rename-1').send({ name: 'Renamed' });
    const first = await patch().expect(200);
    expect(first.headers[REPLAYED]).toBeUndefined();
    // Someone else changes the client; the replay still answers what the first request did.
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).send({ name: 'Changed since' }).expect(200);
    const replay = await patch().expect(200);
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    const renames = await gw.http().get(`/v1/admin/audit-events?targetId=${c.id}&action=api_client.patched`).set(admin).expect(200);
    expect(renames.body.data).toHaveLength(2); // the first PATCH and the other one, not the replay
    const got = await gw.http().get(`/v1/admin/api-clients/${c.id}`).set(admin).expect(200);
    expect(got.body.data.name).toBe('Changed since');
  });

  it('runs 10 simultaneous POSTs with one new key exactly once', async () => {
    const body = { name: 'Exactly once', scopes: ['kyc:read'] };
    const results = await Promise.all(Array.from({ length: 10 }, () => create('burst-1', body)));
    for (const r of results) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 409) expect(r.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    }
    expect(results.filter((r) => r.status === 201 && !r.headers[REPLAYED])).toHaveLength(1);
    expect(await clientsNamed('Exactly once')).toBe(1);
    const after = await create('burst-1', body).expect(201);
    expect(after.headers[REPLAYED]).toBe('true');
    expect(await clientsNamed('Exactly once')).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request with the key is still running', async () => {
    // The first request is "running" on another replica: its reservation is in the table.
    const body = { name: 'Busy', scopes: ['kyc:read'] };
    const hash = fingerprint({ method: 'POST', url: '/v1/admin/api-clients', body: Buffer.from(JSON.stringify(body)) });
    await gw.dataSource.query(
      `INSERT INTO idempotency_keys (api_client_id, idempotency_key, method, path, request_hash, status, expires_at)
       VALUES ($1, 'busy', 'POST', '/v1/admin/api-clients', $2, 'pending', now() + interval '1 hour')`,
      [adminId, hash],
    );
    const res = await create('busy', body).expect(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const other = await create('busy', { ...body, name: 'Other' }).expect(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await clientsNamed('Busy')).toBe(0);

    // A reservation whose process died long ago is taken over.
    await gw.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '10 minutes'`);
    const taken = await create('busy', body).expect(201);
    expect(taken.headers[REPLAYED]).toBeUndefined();
    expect(await clientsNamed('Busy')).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for another body, path or method', async () => {
    const c = await createClient(gw);
    await create('reused', { name: 'First', scopes: ['kyc:read'] }).expect(201);
    const attempts = [
      create('reused', { name: 'Second', scopes: ['kyc:read'] }),
      create('reused', { scopes: ['kyc:read'], name: 'First' }), // same fields, other bytes
      gw.http().post(`/v1/admin/api-clients/${c.id}/revoke`).set(admin).set('Idempotency-Key', 'reused'),
      gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).set('Idempotency-Key', 'reused').send({ name: 'First' }),
    ];
    for (const attempt of attempts) {
      const res = await attempt;
      expect([res.status, res.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    }
    expect(await clientsNamed('First')).toBe(1);
    expect(await clientsNamed('Second')).toBe(0);
    const still = await gw.http().get(`/v1/admin/api-clients/${c.id}`).set(admin).expect(200);
    expect(still.body.data.status).toBe('active');
  });

  it.each([
    ['an empty key', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a tab', 'with\ttab'],
    ['a non-ASCII character', 'cl\u00e9'],
  ])('refuses %s with 400 INVALID_IDEMPOTENCY_KEY and runs nothing', async (_label, key) => {
    const res = await create(key, { name: 'Malformed', scopes: ['kyc:read'] }).expect(400);
    expect(res.body.error.code).toBe('INVALID_IDEMPOTENCY_KEY');
    expect(await clientsNamed('Malformed')).toBe(0);
    expect(await records()).toBe(0);
  });

  it('accepts 255 printable characters', async () => {
    await create(' !~'.repeat(85), { name: 'Long key', scopes: ['kyc:read'] }).expect(201);
    expect(await records()).toBe(1);
  });

  it('scopes keys to the API client: two clients may use the same value', async () => {
    const other = await createClient(gw, { scopes: ['admin:*'] });
    const body = { name: 'Shared key', scopes: ['kyc:read'] };
    const a = await create('shared', body).expect(201);
    const b = await create('shared', body, other.key).expect(201);
    expect(a.headers[REPLAYED]).toBeUndefined();
    expect(b.headers[REPLAYED]).toBeUndefined();
    expect(a.body.data.id).not.toBe(b.body.data.id);
    expect(await clientsNamed('Shared key')).toBe(2);
  });

  it('stores nothing for requests refused before or by the handler, so the key can be retried', async () => {
    const reader = await createClient(gw, { scopes: ['admin:read'] });
    const valid = { name: 'Retried', scopes: ['kyc:read'] };
    await create('k', valid, `capex_live_zzzz_${'0'.repeat(64)}`).expect(401);
    await create('k', valid, reader.key).expect(403);
    const invalid = await create('k', { name: 'Retried', scopes: ['nope'] }).expect(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    await gw.http().post('/v1/admin/api-clients').set(admin).set('Idempotency-Key', 'k').type('json').send('{oops').expect(400);
    const lastAdmin = () => gw.http().post(`/v1/admin/api-clients/${adminId}/revoke`).set(admin).set('Idempotency-Key', 'last');
    expect((await lastAdmin().expect(409)).body.error.code).toBe('LAST_ADMIN');
    const again = await lastAdmin().expect(409);
    expect(again.headers[REPLAYED]).toBeUndefined(); // ran again, was not replayed
    expect(await records()).toBe(0);

    const ok = await create('k', valid).expect(201);
    expect(ok.headers[REPLAYED]).toBeUndefined();
    expect(await records()).toBe(1);
  });

  it('never keeps an issued key: replays of create and rotate-key withhold it with a warning', async () => {
    const body = { name: 'Key holder', scopes: ['kyc:read'] };
    const created = await create('create-holder', body).expect(201);
    const key = created.body.data.api_key as string;
    const replay = await create('create-holder', body).expect(201);
    expect(replay.headers[REPLAYED]).toBe('true');
    const { api_key, warning, ...rest } = created.body.data;
    expect(api_key).toMatch(/^capex_live_/);
    expect(replay.body.data).toEqual({ ...rest, api_key: null, warning: expect.stringContaining('not kept') });
    expect(warning).not.toBe(replay.body.data.warning);

    const rotate = () =>
      gw.http().post(`/v1/admin/api-clients/${created.body.data.id}/rotate-key`).set(admin).set('Idempotency-Key', 'rotate-holder').send({});
    const rotated = await rotate().expect(200);
    const rotatedReplay = await rotate().expect(200);
    expect(rotatedReplay.headers[REPLAYED]).toBe('true');
    expect(rotatedReplay.body.data).toMatchObject({ id: created.body.data.id, apiKey: null, keyPrefix: rotated.body.data.keyPrefix });
    expect(rotatedReplay.body.data.warning).toContain('not kept');
    // Rotated once: the key it issued still works, the original does not.
    await gw.http().get('/v1/me').set('x-api-key', rotated.body.data.apiKey).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', key).expect(401);

    const stored = JSON.stringify(await gw.dataSource.query(`SELECT * FROM idempotency_keys`));
    expect(stored).not.toContain(key.split('_')[3]);
    expect(stored).not.toContain(rotated.body.data.apiKey.split('_')[3]);
  });

  it('ignores the header on GET and DELETE', async () => {
    const c = await createClient(gw);
    await gw.http().get('/v1/me').set(admin).set('Idempotency-Key', 'g').expect(200);
    await gw.http().delete(`/v1/admin/api-clients/${c.id}`).set(admin).set('Idempotency-Key', 'd').expect(200);
    await gw.http().get('/v1/me').set(admin).set('Idempotency-Key', '').expect(200);
    expect(await records()).toBe(0);
  });

  it('lists keys with status and path filters, never their stored answers', async () => {
    await create('list-1', { name: 'L1', scopes: ['kyc:read'] }).expect(201);
    await create('list-2', { name: 'L2', scopes: ['kyc:read'] }).expect(201);
    const c = await createClient(gw);
    await gw.http().patch(`/v1/admin/api-clients/${c.id}`).set(admin).set('Idempotency-Key', 'list-3').send({ name: 'L3' }).expect(200);
    await gw.dataSource.query(
      `INSERT INTO idempotency_keys (api_client_id, idempotency_key, method, path, request_hash, status, expires_at)
       VALUES ($1, 'list-4', 'POST', '/v1/admin/api-clients', '\\x00', 'pending', now() + interval '1 hour')`,
      [adminId],
    );
    const list = async (qs: string) => (await gw.http().get(`/v1/admin/idempotency-keys?${qs}`).set(admin).expect(200)).body;

    const all = await list('');
    expect(all.data.map((k: { idempotency_key: string }) => k.idempotency_key)).toEqual(['list-4', 'list-3', 'list-2', 'list-1']);
    expect(all.data[1]).toEqual({
      id: expect.any(String),
      api_client_id: adminId,
      idempotency_key: 'list-3',
      method: 'PATCH',
      path: `/v1/admin/api-clients/${c.id}`,
      status: 'completed',
      response_status: 200,
      created_at: expect.any(String),
      completed_at: expect.any(String),
      expires_at: expect.any(String),
    });
    expect(Date.parse(all.data[1].expires_at) - Date.parse(all.data[1].created_at)).toBeCloseTo(24 * 3600 * 1000, -4);
    expect(JSON.stringify(all)).not.toContain('L3');

    const pending = await list('status=pending');
    expect(pending.data.map((k: { idempotency_key: string }) => k.idempotency_key)).toEqual(['list-4']);
    const completedPosts = await list('status=completed&path=/v1/admin/api-clients');
    expect(completedPosts.data.map((k: { idempotency_key: string }) => k.idempotency_key)).toEqual(['list-2', 'list-1']);
    expect((await list('status=expired')).data).toEqual([]);
    const page = await list('limit=1');
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).toEqual(expect.any(String));
    for (const qs of ['status=done', 'limit=501', 'apiClientId=x']) {
      await gw.http().get(`/v1/admin/idempotency-keys?${qs}`).set(admin).expect(400);
    }
  });
});

describe('Idempotency-Key expiry', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ IDEMPOTENCY_TTL_SECONDS: '1', IDEMPOTENCY_SWEEP_MS: '200' });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('forgets a key after its time: listed as expired, its answer swept, the key usable again', async () => {
    const body = { name: 'Short-lived', scopes: ['kyc:read'] };
    const post = () => gw.http().post('/v1/admin/api-clients').set('x-api-key', ADMIN_KEY).set('Idempotency-Key', 'short').send(body);
    await post().expect(201);
    await sleep(1600);
    const listed = await gw.http().get('/v1/admin/idempotency-keys?status=expired').set('x-api-key', ADMIN_KEY).expect(200);
    expect(listed.body.data.map((k: { idempotency_key: string; status: string }) => [k.idempotency_key, k.status])).toEqual([
      ['short', 'expired'],
    ]);
    const [row] = await gw.dataSource.query(`SELECT status, response_body FROM idempotency_keys`);
    expect(row).toEqual({ status: 'expired', response_body: null }); // the sweep ran

    const again = await post().expect(201);
    expect(again.headers[REPLAYED]).toBeUndefined();
    const [{ n }] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM api_clients WHERE name = 'Short-lived'`);
    expect(Number(n)).toBe(2);
  });
});
