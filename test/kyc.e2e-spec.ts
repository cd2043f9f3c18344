import { createClient, CreatedClient } from './support/clients';
import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { eventually, Simulators, simulatorsOf } from './support/providers';

const BVN = '22298765432';
const MONO_TIMEOUT_MS = 1000;
const SLACK_MS = 3000;

/** The partner KYC routes: Mono's BVN lookup through the gateway, over HTTP. */
describe('KYC: BVN lookup through Mono', () => {
  let gw: TestGateway;
  let sims: Simulators;
  let partner: CreatedClient;

  beforeAll(async () => {
    gw = await startGateway({ MONO_TIMEOUT_MS: String(MONO_TIMEOUT_MS), PROVIDER_CIRCUIT_THRESHOLD: '1000' });
    sims = simulatorsOf(gw);
  });
  afterAll(() => gw.close());
  beforeEach(async () => {
    await sims.reset();
    await gw.reset();
    partner = await createClient(gw, { scopes: ['kyc:*'] });
  });

  const post = (path: string, body: unknown, key = partner.key) =>
    gw.http().post(`/v1/kyc/bvn/lookups${path}`).set('x-api-key', key).send(body as object);

  it('runs initiate → verify → details and answers the identity, with the BVN only masked', async () => {
    const started = await post('', { bvn: BVN }).expect(201);
    expect(started.body.data).toEqual({
      session_id: expect.any(String),
      bvn_masked: '*******5432',
      methods: expect.arrayContaining([{ method: 'phone', hint: expect.stringContaining('phone number') }]),
    });
    const sessionId = started.body.data.session_id;

    const verified = await post(`/${sessionId}/verify`, { method: 'phone' }).expect(200);
    expect(verified.body.data).toEqual({ session_id: sessionId, method: 'phone', message: expect.any(String) });

    const details = await post(`/${sessionId}/details`, { otp: '123456' }).expect(200);
    expect(details.body.data).toEqual({
      first_name: expect.any(String),
      middle_name: expect.any(String),
      last_name: expect.any(String),
      date_of_birth: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      gender: expect.any(String),
      phone_number: expect.any(String),
      email: expect.any(String),
      nationality: 'Nigeria',
      state_of_origin: expect.any(String),
      watch_listed: false,
    });
    for (const res of [started, verified, details]) expect(JSON.stringify(res.body)).not.toContain(BVN);

    const calls = await sims.mono.calls();
    expect(calls.map((c) => c.path)).toEqual(['/v2/lookup/bvn/initiate', '/v2/lookup/bvn/verify', '/v2/lookup/bvn/details']);
    expect(calls[0].body).toEqual({ bvn: BVN, scope: 'identity' });
  });

  it('checks the BVN before any (billed) Mono call', async () => {
    const bad: unknown[] = [{}, { bvn: '123' }, { bvn: '222987654321' }, { bvn: '2229876543a' }, { bvn: 22298765432 }, { bvn: ' 22298765432' }, { bvn: BVN, extra: 1 }];
    for (const body of bad) {
      const res = await post('', body);
      expect([JSON.stringify(body), res.status, res.body.error.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      expect(JSON.stringify(res.body)).not.toContain(BVN);
    }
    const res = await post('', { bvn: '123' });
    expect(res.body.error.details).toEqual([{ field: 'bvn', message: 'bvn must be exactly 11 digits' }]);
    expect(await sims.mono.calls()).toEqual([]);
  });

  it('validates the other steps before calling Mono too', async () => {
    expect((await post('/not%20a%20session/verify', { method: 'phone' })).body.error.code).toBe('INVALID_ID');
    expect((await post('/x!/verify', { method: 'phone' })).body.error.code).toBe('INVALID_ID');
    expect((await post('/74c8fe70-ea2c-458e-a99f-3f7a6061632c/verify', { method: 'fax' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await post('/74c8fe70-ea2c-458e-a99f-3f7a6061632c/verify', { method: 'alternate_phone' })).status).toBe(400);
    expect((await post('/74c8fe70-ea2c-458e-a99f-3f7a6061632c/details', { otp: 'abc' })).status).toBe(400);
    expect(await sims.mono.calls()).toEqual([]);
  });

  it("turns Mono's refusals into the caller's answers: unknown BVN or session 404, wrong OTP 400", async () => {
    const unknownBvn = await post('', { bvn: '00000000000' }).expect(404);
    expect(unknownBvn.body.error.code).toBe('NOT_FOUND');
    await post('/74c8fe70-ea2c-458e-a99f-3f7a6061632c/verify', { method: 'phone' }).expect(404);

    const { session_id: sessionId } = (await post('', { bvn: BVN }).expect(201)).body.data;
    const early = await post(`/${sessionId}/details`, { otp: '123456' }).expect(400);
    expect(early.body.error.details).toEqual([{ field: 'otp', message: 'not accepted' }]);
    await post(`/${sessionId}/verify`, { method: 'alternate_phone', phoneNumber: '08031234567' }).expect(200);
    await post(`/${sessionId}/details`, { otp: '654321' }).expect(400);
    await post(`/${sessionId}/details`, { otp: '123456' }).expect(200);
  });

  it('needs kyc:write to start and verify, kyc:read for details', async () => {
    const reader = await createClient(gw, { scopes: ['kyc:read'] });
    const writer = await createClient(gw, { scopes: ['kyc:write'] });
    await post('', { bvn: BVN }, reader.key).expect(403);
    const { session_id: sessionId } = (await post('', { bvn: BVN }, writer.key).expect(201)).body.data;
    await post(`/${sessionId}/verify`, { method: 'phone' }, reader.key).expect(403);
    await post(`/${sessionId}/verify`, { method: 'phone' }, writer.key).expect(200);
    await post(`/${sessionId}/details`, { otp: '123456' }, writer.key).expect(403);
    await gw.http().post('/v1/kyc/bvn/lookups').send({ bvn: BVN }).expect(401);
    expect(await sims.mono.calls({ path: '/v2/lookup/bvn/initiate' })).toHaveLength(1);
  });

  it("never lets another client continue a lookup or read its identity, whatever its scopes", async () => {
    const { session_id: sessionId } = (await post('', { bvn: BVN }).expect(201)).body.data;
    await post(`/${sessionId}/verify`, { method: 'phone' }).expect(200);
    const other = await createClient(gw, { scopes: ['kyc:*'] });
    const stolen = await post(`/${sessionId}/details`, { otp: '123456' }, other.key).expect(404);
    expect(stolen.body.error.code).toBe('NOT_FOUND');
    await post(`/${sessionId}/verify`, { method: 'phone' }, other.key).expect(404);
    expect(await sims.mono.calls({ path: '/v2/lookup/bvn/details' })).toHaveLength(0);
    await post(`/${sessionId}/details`, { otp: '123456' }).expect(200);
    expect(await sims.mono.calls({ path: '/v2/lookup/bvn/details' })).toHaveLength(1);
    const rows = await gw.dataSource.query(`SELECT * FROM kyc_sessions`);
    expect(JSON.stringify(rows)).not.toContain(sessionId);
  });

  describe('Mono failures reach the partner as provider errors naming Mono', () => {
    it('error → 502 PROVIDER_ERROR', async () => {
      await sims.mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'error', status: 500 });
      const res = await post('', { bvn: BVN }).expect(502);
      expect(res.body).toEqual({
        ok: false,
        error: {
          code: 'PROVIDER_ERROR',
          message: 'Mono answered HTTP 500 (bvn.initiate)',
          details: [{ message: 'Mono answered HTTP 500 (bvn.initiate)', provider: 'mono', operation: 'bvn.initiate', http_status: 500 }],
          request_id: expect.any(String),
        },
      });
    });

    it('timeout → 504 PROVIDER_TIMEOUT within MONO_TIMEOUT_MS', async () => {
      await sims.mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'timeout' });
      const started = Date.now();
      const res = await post('', { bvn: BVN }).expect(504);
      expect(Date.now() - started).toBeLessThan(MONO_TIMEOUT_MS + SLACK_MS);
      expect(res.body.error).toMatchObject({ code: 'PROVIDER_TIMEOUT', message: `Mono did not answer within ${MONO_TIMEOUT_MS} ms (bvn.initiate)` });
    });

    it('down → 502 PROVIDER_ERROR', async () => {
      await sims.mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'down' });
      const res = await post('', { bvn: BVN }).expect(502);
      expect(res.body.error.message).toMatch(/^Mono could not be reached/);
    });

    it("the provider-call rows carry the partner request's id", async () => {
      await sims.mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'error', status: 503 });
      const res = await post('', { bvn: BVN }).set('x-request-id', 'kyc-req-0001').expect(502);
      expect(res.body.error.request_id).toBe('kyc-req-0001');
      const rows = await eventually(
        () => gw.http().get('/v1/admin/provider-calls?requestId=kyc-req-0001').set('x-api-key', ADMIN_KEY),
        (r) => r.body.data?.length >= 1,
      );
      expect(rows.body.data).toEqual([
        expect.objectContaining({ provider: 'mono', operation: 'bvn.initiate', status: 'failed', http_status: 503, attempt: 1 }),
      ]);
    });
  });
});

describe('KYC with Mono’s circuit open', () => {
  it('answers 503 PROVIDER_UNAVAILABLE with Retry-After, without calling Mono', async () => {
    const gw = await startGateway({ PROVIDER_CIRCUIT_THRESHOLD: '2', PROVIDER_CIRCUIT_HALF_OPEN_MS: '30000' });
    try {
      const sims = simulatorsOf(gw);
      const partner = await createClient(gw, { scopes: ['kyc:*'] });
      await sims.mono.fault({ path: '/v2', mode: 'error', status: 502 });
      for (let i = 0; i < 2; i++) await gw.http().post('/v1/kyc/bvn/lookups').set('x-api-key', partner.key).send({ bvn: BVN }).expect(502);
      const res = await gw.http().post('/v1/kyc/bvn/lookups').set('x-api-key', partner.key).send({ bvn: BVN }).expect(503);
      expect(res.body.error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(res.body.error.message).toContain('Mono');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(await sims.mono.calls()).toHaveLength(2);
    } finally {
      await gw.close();
    }
  });
});
