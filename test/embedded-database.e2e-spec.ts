import { ADMIN_KEY, startGateway, tempDataDir } from './support/gateway';
import { createClient } from './support/clients';

/** The embedded default (PGlite on disk), whatever DATABASE_URL the rest of the suite uses. */
describe('embedded database', () => {
  const embedded = (dir: string) => ({ DATABASE_URL: '', DATA_DIR: dir });

  it('keeps 20 concurrent transactional writes as 20 rows', async () => {
    const gw = await startGateway(embedded(tempDataDir()));
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          gw.http().post('/v1/admin/api-clients').set('x-api-key', ADMIN_KEY).send({ name: `C${i}`, scopes: ['kyc:read'] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      const list = await gw.http().get('/v1/admin/api-clients?limit=500').set('x-api-key', ADMIN_KEY).expect(200);
      expect(list.body.data).toHaveLength(21);
      // Every issued key works, so every key row landed with its client.
      const checks = await Promise.all(results.map((r) => gw.http().get('/v1/me').set('x-api-key', r.body.data.api_key)));
      expect(checks.map((r) => r.status)).toEqual(Array(20).fill(200));
    } finally {
      await gw.close();
    }
  });

  it('keeps clients and keys across a restart on the same DATA_DIR', async () => {
    const dir = tempDataDir();
    const first = await startGateway(embedded(dir));
    const c = await createClient(first, { name: 'Survivor' });
    await first.close();

    const second = await startGateway(embedded(dir));
    try {
      const me = await second.http().get('/v1/me').set('x-api-key', c.key).expect(200);
      expect(me.body.data.name).toBe('Survivor');
      const list = await second.http().get('/v1/admin/api-clients').set('x-api-key', ADMIN_KEY).expect(200);
      expect(list.body.data.map((x: { name: string }) => x.name)).toEqual(['Survivor', 'bootstrap admin']);
    } finally {
      await second.close();
    }
  });
});
