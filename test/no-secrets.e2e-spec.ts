import { ADMIN_KEY, captureOutput, startGateway, TestGateway } from './support/gateway';
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

    const keys = [c.key, rotated.body.data.apiKey, graced.body.data.apiKey, ADMIN_KEY];
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
