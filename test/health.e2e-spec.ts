import { version } from '../package.json';
import { drainAndClose } from '../src/app.setup';
import { startGateway, TestGateway } from './support/gateway';

describe('health and lifecycle', () => {
  let gw: TestGateway;

  beforeEach(async () => {
    gw = await startGateway();
  });
  afterEach(async () => {
    await gw.close().catch(() => undefined);
  });

  it("GET /v1/admin/health answers the seed's shape without a key", async () => {
    const res = await gw.http().get('/v1/admin/health').expect(200);
    expect(res.body).toEqual({ ok: true, data: { status: 'ok', timestamp: expect.any(String), version } });
    expect(new Date(res.body.data.timestamp).toISOString()).toBe(res.body.data.timestamp);
  });

  it('liveness and readiness answer 200 when the database is up and migrated', async () => {
    await gw.http().get('/v1/health/live').expect(200, { ok: true, data: { status: 'ok' } });
    const ready = await gw.http().get('/v1/health/ready').expect(200);
    expect(ready.body.data.status).toBe('ok');
  });

  it('answers 503 with status "error" within 5 s when the database is gone', async () => {
    await gw.dataSource.destroy();
    const started = Date.now();
    const res = await gw.http().get('/v1/admin/health').expect(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body.ok).toBe(false);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.data).toMatchObject({ status: 'error', version });
    await gw.http().get('/v1/health/ready').expect(503);
    await gw.http().get('/v1/health/live').expect(200);
  });

  it('on shutdown, readiness turns 503 first while requests are still served', async () => {
    const draining = drainAndClose(gw.app, 800);
    const ready = await gw.http().get('/v1/health/ready').expect(503);
    expect(ready.body.error.details).toEqual([{ field: 'lifecycle', message: 'shutting down' }]);
    await gw.http().get('/v1/admin/health').expect(200);
    await draining;
    await expect(gw.http().get('/v1/health/live')).rejects.toThrow();
  });

  it('does not let a client that never finishes its request hold shutdown forever', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(gw.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('POST /v1/admin/api-clients HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"name"');
    socket.on('error', () => undefined);
    const started = Date.now();
    await drainAndClose(gw.app, 0, 500);
    expect(Date.now() - started).toBeLessThan(5000);
    socket.destroy();
  });
});
