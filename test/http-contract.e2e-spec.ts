import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';

/** What every route shares: envelope, request ids, body limits, strict input, safe errors. */
describe('HTTP contract', () => {
  let gw: TestGateway;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway();
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('keeps a sane incoming x-request-id and replaces an insane one', async () => {
    const kept = await gw.http().get('/v1/health/live').set('x-request-id', 'trace-abc.123').expect(200);
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    const replaced = await gw.http().get('/v1/health/live').set('x-request-id', 'bad id <script>').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const made = await gw.http().get('/v1/me').expect(401);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.error.request_id).toBe(made.headers['x-request-id']);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await gw.http().post('/v1/admin/api-clients').set(admin).type('json').send('{"name": "x",').expect(400);
    expect(res.body).toEqual({
      ok: false,
      error: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON (or not a JSON object)', request_id: res.headers['x-request-id'] },
    });
  });

  it('answers a body over 100 kB with 413 PAYLOAD_TOO_LARGE, and one just under passes the parser', async () => {
    const big = { name: 'x'.repeat(101 * 1024), scopes: ['kyc:read'] };
    const res = await gw.http().post('/v1/admin/api-clients').set(admin).send(big).expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const under = { name: 'x'.repeat(99 * 1024), scopes: ['kyc:read'] };
    const ok = await gw.http().post('/v1/admin/api-clients').set(admin).send(under).expect(400);
    expect(ok.body.error.details[0].field).toBe('name'); // reached validation: too long a name
  });

  it('refuses bodies that are not JSON with 415, and JSON that is not an object with 400', async () => {
    const form = await gw.http().post('/v1/admin/api-clients').set(admin).type('form').send('name=x&scopes=kyc:read').expect(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await gw.http().post('/v1/admin/api-clients').set(admin).set('content-type', 'text/plain').send('{"name":"x"}').expect(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const body of ['null', '"hello"', '42']) {
      const res = await gw.http().post('/v1/admin/api-clients').set(admin).type('json').send(body).expect(400);
      expect(res.body.error.code).toBe('MALFORMED_JSON');
    }
    // A JSON type with a charset or a +json suffix is JSON.
    await gw
      .http()
      .post('/v1/admin/api-clients')
      .set(admin)
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ name: 'charset', scopes: ['kyc:read'] }))
      .expect(201);
  });

  it('refuses absurdly nested JSON with 400 instead of overflowing the validator', async () => {
    const deep = `{"name":"d","scopes":["kyc:read"],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await gw.http().post('/v1/admin/api-clients').set(admin).type('json').send(deep).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('nested');
    // Brackets inside strings do not count.
    const inString = { name: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', scopes: ['kyc:read'] };
    await gw.http().post('/v1/admin/api-clients').set(admin).send(inString).expect(201);
  });

  it('marks answers as not cacheable (they carry keys and personal data)', async () => {
    const res = await gw.http().get('/v1/me').set(admin).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('gives one precise message per invalid field', async () => {
    const res = await gw.http().get('/v1/admin/api-clients?limit=abc').set(admin).expect(400);
    expect(res.body.error.details).toHaveLength(1);
    expect(res.body.error.details[0]).toEqual({ field: 'limit', message: 'limit must be an integer number' });
  });

  it('answers unknown routes with the 404 envelope, for any method', async () => {
    for (const method of ['get', 'post', 'put', 'delete'] as const) {
      const res = await gw.http()[method]('/v1/no/such/route?secret=abc').set(admin).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(res.body.error.message).not.toContain('secret');
    }
    const root = await gw.http().get('/').expect(404);
    expect(root.body.ok).toBe(false);
  });

  it('maps a database input error to 400 instead of a 500 with SQL', async () => {
    const res = await gw.http().post('/v1/admin/api-clients').set(admin).send({ name: 'nul\u0000byte', scopes: ['kyc:read'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/INSERT|api_clients|at .*\.js/);
  });

  it('rejects a percent-encoding that cannot be decoded with 400', async () => {
    const res = await gw.http().get('/v1/admin/api-clients/%E0%A4%A').set(admin);
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
  });

  it('sets security headers (helmet) and no x-powered-by', async () => {
    const res = await gw.http().get('/v1/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves Swagger at /docs and the document at /docs-json with the security scheme and scopes', async () => {
    await gw.http().get('/docs').expect(200).expect('content-type', /html/);
    const doc = (await gw.http().get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes['x-api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    const create = doc.paths['/v1/admin/api-clients'].post;
    expect(create.security).toEqual([{ 'x-api-key': ['admin:write'] }]);
    expect(doc.paths['/v1/admin/api-clients'].get.security).toEqual([{ 'x-api-key': ['admin:read'] }]);
    expect(doc.paths['/v1/admin/health'].get.security).toBeUndefined();
    expect(doc.components.schemas.ApiErrorResponse).toBeDefined();
    expect(create.responses['201']).toBeDefined();
    expect(create.responses['401'].content['application/json'].schema.$ref).toContain('ApiErrorResponse');
    expect(JSON.stringify(doc.components.schemas.CreateApiClientDto)).toContain('Mobile App Production');
  });
});
