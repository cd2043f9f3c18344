import { ADMIN_KEY, captureOutput, eventually, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

/** Keys are shown once, in the answer that issues them, and nowhere else. */
describe('key material stays out of logs and tables', () => {
  let gw: TestGateway;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    output = captureOutput();
    gw = await startGateway({ LOG_LEVEL: 'trace' });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
    output.stop();
  });

  it('after creating, using, rotating and misusing keys, no full key is in the process output or any table', async () => {
    const c = await createClient(gw, { scopes: ['admin:*'] });
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(200);
    const rotated = await gw.http().post(`/v1/admin/api-clients/${c.id}/rotate-key`).set('x-api-key', c.key).expect(200);
    const graced = await gw
      .http()
      .post(`/v1/admin/api-clients/${c.id}/rotate-key`)
      .set('x-api-key', rotated.body.data.apiKey)
      .send({ gracePeriodSeconds: 60 })
      .expect(200);
    await gw.http().get('/v1/me').set('x-api-key', c.key).expect(401);
    await gw.http().get(`/v1/admin/api-clients?limit=abc&cursor=${c.key}`).set('x-api-key', graced.body.data.apiKey).expect(400);
    await gw.http().post('/v1/admin/api-clients').set('x-api-key', graced.body.data.apiKey).type('json').send('{bad').expect(400);
    await gw.http().get('/v1/nowhere').set('x-api-key', rotated.body.data.apiKey).expect(404);

    // The same with Idempotency-Key: the answers are kept for replays, the keys in them are not.
    const admin = graced.body.data.apiKey;
    const createOnce = () =>
      gw.http().post('/v1/admin/api-clients').set('x-api-key', admin).set('Idempotency-Key', 'create-once').send({ name: 'Idem', scopes: ['kyc:read'] });
    const idem = await createOnce().expect(201);
    expect((await createOnce().expect(201)).body.data.api_key).toBeNull();
    const rotateOnce = () =>
      gw.http().post(`/v1/admin/api-clients/${idem.body.data.id}/rotate-key`).set('x-api-key', admin).set('Idempotency-Key', 'rotate-once');
    const idemRotated = await rotateOnce().expect(200);
    expect((await rotateOnce().expect(200)).body.data.apiKey).toBeNull();
    await gw.http().patch(`/v1/admin/api-clients/${idem.body.data.id}`).set('x-api-key', idemRotated.body.data.apiKey).expect(403);
    const [{ n: kept }] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE status = 'completed'`);
    expect(Number(kept)).toBe(2);
    // Every request so far is in the request log before the tables are searched.
    await eventually(async () => {
      const [{ n }] = await gw.dataSource.query(`SELECT count(*)::int AS n FROM api_requests`);
      return Number(n) >= 13 ? n : undefined;
    });

    const keys = [c.key, rotated.body.data.apiKey, graced.body.data.apiKey, idem.body.data.api_key, idemRotated.body.data.apiKey, ADMIN_KEY];
    const secrets = keys.map((k) => k.split('_')[3]);

    const logs = output.text();
    expect(logs).toContain('request completed'); // the log really was captured
    for (const secret of secrets) expect(logs).not.toContain(secret);

    const tables: Array<{ tablename: string }> = await gw.dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`,
    );
    expect(tables.length).toBeGreaterThan(1);
    for (const { tablename } of tables) {
      const rows = await gw.dataSource.query(`SELECT * FROM "${tablename}"`);
      const dump = JSON.stringify(rows);
      for (const secret of secrets) expect([tablename, dump.includes(secret)]).toEqual([tablename, false]);
    }
  });
});
