import { createClient } from './support/clients';
import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { closedPort, eventually, Simulators, simulatorsOf } from './support/providers';

const PING_TIMEOUT_MS = 1500;

/** GET /v1/admin/providers/status: the seed's shape, 200 even when providers are down or hang. */
describe('providers status', () => {
  let gw: TestGateway;
  let sims: Simulators;

  beforeAll(async () => {
    gw = await startGateway({ PROVIDER_STATUS_TIMEOUT_MS: String(PING_TIMEOUT_MS) });
    sims = simulatorsOf(gw);
  });
  afterAll(() => gw.close());
  beforeEach(() => sims.reset());

  const status = () => gw.http().get('/v1/admin/providers/status').set('x-api-key', ADMIN_KEY);

  it("answers the seed's shape with every provider up", async () => {
    const res = await status().expect(200);
    expect(res.body).toEqual({
      ok: true,
      data: {
        squad: { ok: true, status: 200 },
        ies: { ok: true, status: 200 },
        mono: { ok: true, status: 200 },
        checked_at: expect.any(String),
      },
    });
    expect(Object.keys(res.body.data)).toEqual(['squad', 'ies', 'mono', 'checked_at']);
    expect(new Date(res.body.data.checked_at).toISOString()).toBe(res.body.data.checked_at);
  });

  it('answers 200 within the ping timeout with one provider down, one hanging and one failing', async () => {
    await sims.ies.fault({ path: '/health', mode: 'down' });
    await sims.squad.fault({ method: 'GET', path: '/', mode: 'timeout' });
    await sims.mono.fault({ method: 'GET', path: '/', mode: 'timeout' });
    const started = Date.now();
    const res = await status().expect(200);
    const elapsed = Date.now() - started;
    expect(res.body.data).toEqual({
      squad: { ok: false, status: null },
      ies: { ok: false, status: null },
      mono: { ok: false, status: null },
      checked_at: expect.any(String),
    });
    // Two providers hang: pinged one after the other this would take two timeouts.
    expect(elapsed).toBeLessThan(2 * PING_TIMEOUT_MS);

    await sims.reset();
    await sims.mono.fault({ method: 'GET', path: '/', mode: 'error', status: 503 });
    await sims.squad.fault({ method: 'GET', path: '/', mode: 'error', status: 404 });
    const partly = await status().expect(200);
    expect(partly.body.data).toMatchObject({
      squad: { ok: true, status: 404 }, // it answered: reachable
      ies: { ok: true, status: 200 },
      mono: { ok: false, status: 503 },
    });
  });

  it('records every ping in the provider-call log with the request id of the status request', async () => {
    await sims.squad.fault({ method: 'GET', path: '/', mode: 'error', status: 500 });
    const res = await status().set('x-request-id', 'status-check-0001').expect(200);
    expect(res.headers['x-request-id']).toBe('status-check-0001');
    const calls = await eventually(
      () => gw.http().get('/v1/admin/provider-calls?requestId=status-check-0001').set('x-api-key', ADMIN_KEY),
      (r) => r.body.data?.length >= 3,
    );
    const rows = calls.body.data as Array<{ provider: string; operation: string; status: string; http_status: number | null; method: string }>;
    expect(rows.map((r) => [r.provider, r.operation, r.method, r.status, r.http_status]).sort()).toEqual([
      ['ies', 'ping', 'GET', 'ok', 200],
      ['mono', 'ping', 'GET', 'ok', 200],
      ['squad', 'ping', 'GET', 'failed', 500],
    ]);
  });

  it('needs admin:read', async () => {
    await gw.http().get('/v1/admin/providers/status').expect(401);
    const partner = await createClient(gw, { scopes: ['kyc:*'] });
    const res = await gw.http().get('/v1/admin/providers/status').set('x-api-key', partner.key).expect(403);
    expect(res.body.error.code).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('providers status with SQUAD_BASE_URL at a closed port', () => {
  it('shows squad ok:false within the timeout and a failed ping row', async () => {
    const gw = await startGateway({ SQUAD_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const res = await gw.http().get('/v1/admin/providers/status').set('x-api-key', ADMIN_KEY).expect(200);
      expect(res.body.data).toMatchObject({ squad: { ok: false, status: null }, ies: { ok: true, status: 200 }, mono: { ok: true, status: 200 } });
      const failed = await eventually(
        () =>
          gw
            .http()
            .get(`/v1/admin/provider-calls?provider=squad&status=failed&requestId=${res.headers['x-request-id']}`)
            .set('x-api-key', ADMIN_KEY),
        (r) => r.body.data?.length >= 1,
      );
      expect(failed.body.data[0]).toMatchObject({
        provider: 'squad',
        operation: 'ping',
        status: 'failed',
        http_status: null,
        error: 'connection refused (ECONNREFUSED)',
        request_id: res.headers['x-request-id'],
      });
    } finally {
      await gw.close();
    }
  });
});
