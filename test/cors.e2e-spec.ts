import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { createClient, CreatedClient } from './support/clients';

const APP = 'https://app.example.com';
const OTHER = 'https://other.example.com';
const EVIL = 'https://evil.example';

describe('CORS per client', () => {
  let gw: TestGateway;
  let browser: CreatedClient;
  let anywhere: CreatedClient;
  let other: CreatedClient;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
    browser = await createClient(gw, { allowedOrigins: [APP] });
    anywhere = await createClient(gw);
    other = await createClient(gw, { allowedOrigins: [OTHER] });
  });

  const preflight = (origin: string, path = '/v1/me') =>
    gw
      .http()
      .options(path)
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key, content-type, idempotency-key');

  it('gives an allowed origin the CORS headers', async () => {
    const res = await gw.http().get('/v1/me').set('x-api-key', browser.key).set('Origin', APP).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers.vary).toMatch(/origin/i);
    expect(res.headers['access-control-expose-headers']).toContain('x-request-id');
    expect(res.headers['access-control-expose-headers']).toContain('x-ratelimit-remaining');
  });

  it('refuses an origin outside the client\'s non-empty list with 403 ORIGIN_NOT_ALLOWED', async () => {
    const evil = await gw.http().get('/v1/me').set('x-api-key', browser.key).set('Origin', EVIL).expect(403);
    expect(evil.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    // Another client's origin is not this client's: refused, readable by that page.
    const borrowed = await gw.http().get('/v1/me').set('x-api-key', browser.key).set('Origin', OTHER).expect(403);
    expect(borrowed.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(borrowed.headers['access-control-allow-origin']).toBe(OTHER);
    // Same origin written in other case is the same origin.
    await gw.http().get('/v1/me').set('x-api-key', browser.key).set('Origin', 'https://APP.example.com').expect(200);
  });

  it('lets a client without allowedOrigins, and callers that send no Origin, through', async () => {
    await gw.http().get('/v1/me').set('x-api-key', anywhere.key).set('Origin', EVIL).expect(200);
    await gw.http().get('/v1/me').set('x-api-key', browser.key).expect(200);
  });

  it('answers a preflight without a key for an origin some active client allows', async () => {
    const res = await preflight(APP).expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    const allowedHeaders = res.headers['access-control-allow-headers'].split(',').map((h: string) => h.trim());
    expect(allowedHeaders).toEqual(expect.arrayContaining(['x-api-key', 'content-type', 'idempotency-key']));
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    await preflight(OTHER, '/v1/admin/api-clients').expect(204);
  });

  it('refuses a preflight for an origin no active client allows', async () => {
    const res = await preflight(EVIL).expect(403);
    expect(res.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('follows client changes at once: new origins, suspension and revocation', async () => {
    await preflight(OTHER).expect(204);
    await gw.http().patch(`/v1/admin/api-clients/${other.id}`).set(admin).send({ status: 'suspended' }).expect(200);
    await preflight(OTHER).expect(403);
    await gw.http().patch(`/v1/admin/api-clients/${browser.id}`).set(admin).send({ allowedOrigins: [APP, OTHER] }).expect(200);
    await preflight(OTHER).expect(204);
    await gw.http().get('/v1/me').set('x-api-key', browser.key).set('Origin', OTHER).expect(200);
    await gw.http().delete(`/v1/admin/api-clients/${browser.id}`).set(admin).expect(200);
    await preflight(APP).expect(403);
  });
});
