import { createHmac } from 'node:crypto';
import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { createClient, CreatedClient } from './support/clients';
import { eventually, Simulators, simulatorsOf } from './support/providers';
import { SquadSimulator } from '@app/provider-simulators';

const SQUAD_SECRET = 'sq_test_payments_secret_0123456789';
const sign = (body: string, secret = SQUAD_SECRET) => createHmac('sha512', secret).update(body).digest('hex').toUpperCase();

/** The payment path end to end, against the Squad and IES simulators over real HTTP. */
describe('payments, webhooks and autopost', () => {
  let gw: TestGateway;
  let sims: Simulators;
  let partner: CreatedClient;
  let profileId: string;

  beforeAll(async () => {
    gw = await startGateway({
      SQUAD_SECRET_KEY: SQUAD_SECRET,
      AUTOPOST_WORKER_INTERVAL_MS: '0',
      PROVIDER_CIRCUIT_THRESHOLD: '1000',
      IES_TIMEOUT_MS: '1000',
    });
    sims = simulatorsOf(gw);
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
    await sims.reset();
    partner = await createClient(gw, { name: 'Mobile app', scopes: ['payments:*'] });
    [{ id: profileId }] = await gw.dataSource.query(
      `INSERT INTO customer_profiles (full_name, email, ies_client_code) VALUES ('Adaeze Okafor', 'adaeze.okafor@example.com', 'CEA-100001') RETURNING id`,
    );
  });

  const asPartner = () => ({ 'x-api-key': partner.key });
  const admin = { 'x-api-key': ADMIN_KEY };

  async function startPayment(amount = 2_500_000, extra: Record<string, unknown> = {}) {
    const res = await gw
      .http()
      .post('/v1/payments')
      .set(asPartner())
      .send({ amount, currency: 'NGN', email: 'adaeze.okafor@example.com', customerProfileId: profileId, ...extra })
      .expect(201);
    return res.body.data as { reference: string; status: string; checkout_url: string };
  }

  const receipts = () => sims.ies.calls({ method: 'POST', path: '/receipts' });
  const payment = async (ref: string) => (await gw.http().get(`/v1/payments/${ref}`).set(asPartner()).expect(200)).body.data;

  it('goes pending → verify (still pending) → paid at Squad → verify → verified and posted to IES once', async () => {
    const started = await startPayment();
    expect(started).toMatchObject({ status: 'pending', autopost_status: 'not_posted', amount: 2_500_000, currency: 'NGN', client_code: 'CEA-100001' });
    expect(started.reference).toMatch(/^CEA-\d{8}-[A-Z0-9]{10}$/);
    expect(started.checkout_url).toContain(started.reference);

    const stillPending = await gw.http().post(`/v1/payments/${started.reference}/verify`).set(asPartner()).expect(200);
    expect(stillPending.body.data.status).toBe('pending');

    await sims.squad.completeCheckout(started.reference, { deliver: false });
    const verified = await gw.http().post(`/v1/payments/${started.reference}/verify`).set(asPartner()).expect(200);
    expect(verified.body.data).toMatchObject({
      status: 'verified',
      autopost_status: 'posted',
      autopost_attempts: 1,
      ies_receipt_number: expect.any(String),
      verified_at: expect.any(String),
      posted_at: expect.any(String),
    });
    const posted = await receipts();
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toMatchObject({ reference: started.reference, client_code: 'CEA-100001', amount: 2_500_000, currency: 'NGN' });

    // Verifying again changes nothing and posts nothing.
    await gw.http().post(`/v1/payments/${started.reference}/verify`).set(asPartner()).expect(200);
    expect(await receipts()).toHaveLength(1);
  });

  it("verifies through Squad's signed webhook; a replayed webhook is a 200 no-op", async () => {
    const { reference } = await startPayment();
    const done = await sims.squad.completeCheckout(reference);
    expect(done.webhook).toMatchObject({ delivered: true, status: 200 });
    const p = await eventually(() => payment(reference), (x) => x.autopost_status === 'posted');
    expect(p).toMatchObject({ status: 'verified', autopost_status: 'posted', squad_gateway_ref: expect.any(String) });

    const replay = await gw
      .http()
      .post('/v1/webhooks/squad')
      .set('content-type', 'application/json')
      .set('x-squad-encrypted-body', done.webhook!.signature)
      .send(done.webhook!.body)
      .expect(200);
    expect(replay.body.data).toEqual({ received: true, reference, outcome: 'already_processed' });
    expect(await receipts()).toHaveLength(1);
  });

  it('accepts a validly signed body with odd whitespace, byte for byte', async () => {
    const { reference } = await startPayment(1_000_000);
    await sims.squad.completeCheckout(reference, { deliver: false });
    const body = `{\n  "Event" :"charge_successful",\t"TransactionRef":  "${reference}",\r\n "Body": {"amount": 1000000 , "transaction_ref":"${reference}","gateway_ref":"GW-1","transaction_status":"Success","currency":"NGN"}  }\n`;
    const res = await gw
      .http()
      .post('/v1/webhooks/squad')
      .set('content-type', 'application/json')
      .set('x-squad-encrypted-body', sign(body))
      .send(body)
      .expect(200);
    expect(res.body.data.outcome).toBe('verified');
    expect((await payment(reference)).autopost_status).toBe('posted');
  });

  it('refuses missing, short, garbage and wrong signatures with 401 and changes nothing', async () => {
    const { reference } = await startPayment();
    const body = JSON.stringify({
      Event: 'charge_successful',
      TransactionRef: reference,
      Body: { amount: 2_500_000, transaction_ref: reference, gateway_ref: 'GW', transaction_status: 'Success' },
    });
    const signatures: Array<string | undefined> = [
      undefined,
      '',
      'abc',
      'Z'.repeat(128),
      sign(body, 'another-secret'),
      sign(body).slice(0, 127),
      `${sign(body)}00`,
      sign(`${body} `),
      'A'.repeat(8000),
    ];
    for (const signature of signatures) {
      const req = gw.http().post('/v1/webhooks/squad').set('content-type', 'application/json');
      const res = await (signature === undefined ? req : req.set('x-squad-encrypted-body', signature)).send(body);
      expect([String(signature).slice(0, 12), res.status, res.body.error?.code]).toEqual([String(signature).slice(0, 12), 401, 'INVALID_SIGNATURE']);
    }
    expect((await payment(reference)).status).toBe('pending');
    expect(await receipts()).toHaveLength(0);
  });

  it('flags a settled amount that differs from the payment and never posts it', async () => {
    const { reference } = await startPayment(2_500_000);
    const body = JSON.stringify({
      Event: 'charge_successful',
      TransactionRef: reference,
      Body: { amount: 250_000, transaction_ref: reference, gateway_ref: 'GW-2', transaction_status: 'Success' },
    });
    const res = await gw.http().post('/v1/webhooks/squad').set('content-type', 'application/json').set('x-squad-encrypted-body', sign(body)).send(body).expect(200);
    expect(res.body.data.outcome).toBe('amount_mismatch');
    const p = await payment(reference);
    expect(p).toMatchObject({ status: 'pending', autopost_status: 'not_posted', amount_mismatch: 250_000 });
    expect(await receipts()).toHaveLength(0);
  });

  it('IES failing → autopost failed → admin retry → posted → a second retry is 409 ALREADY_POSTED', async () => {
    await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'error', status: 503 });
    const { reference } = await startPayment();
    await sims.squad.completeCheckout(reference, { deliver: false });
    const failed = (await gw.http().post(`/v1/payments/${reference}/verify`).set(asPartner()).expect(200)).body.data;
    expect(failed).toMatchObject({ status: 'verified', autopost_status: 'failed', autopost_attempts: 1 });
    expect(failed.last_error).toContain('IES');

    const listed = await gw.http().get('/v1/admin/payments?status=verified&autopostStatus=failed').set(admin).expect(200);
    expect(listed.body.data.map((x: { reference: string }) => x.reference)).toEqual([reference]);

    await sims.ies.reset();
    const retried = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(200);
    expect(retried.body.data).toMatchObject({ reference, autopost_status: 'posted', autopost_attempts: 2, last_error: null });
    const again = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(409);
    expect(again.body.error.code).toBe('ALREADY_POSTED');
    expect(await receipts()).toHaveLength(1);

    // Audited once: the refused second retry changed nothing.
    const audit = await gw.http().get(`/v1/admin/audit-events?action=payment.autopost_retried&targetId=${reference}`).set(admin).expect(200);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({
      target_type: 'payment',
      request_id: retried.headers['x-request-id'],
      before: { autopost_status: 'failed', autopost_attempts: 1, last_error: expect.stringContaining('IES') },
      after: { autopost_status: 'posted', autopost_attempts: 2, last_error: null, ies_receipt_number: expect.any(String) },
    });
  });

  it('20 concurrent admin retries post to IES exactly once', async () => {
    await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'error', status: 500 });
    const { reference } = await startPayment();
    await sims.squad.completeCheckout(reference, { deliver: false });
    await gw.http().post(`/v1/payments/${reference}/verify`).set(asPartner()).expect(200);
    await sims.ies.reset();
    await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'timeout', delayMs: 300 }); // slow, so retries overlap

    const results = await Promise.all(
      Array.from({ length: 20 }, () => gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['ALREADY_POSTED', 'AUTOPOST_IN_PROGRESS']).toContain(r.body.error.code);
    }
    expect(await receipts()).toHaveLength(1);
    expect((await payment(reference)).autopost_status).toBe('posted');
    const audit = await gw.http().get(`/v1/admin/audit-events?action=payment.autopost_retried&targetId=${reference}`).set(admin).expect(200);
    expect(audit.body.data).toHaveLength(1);
  });

  it('answers retry-autopost with 404 for an unknown ref and 409 PAYMENT_NOT_VERIFIED for a pending one', async () => {
    await gw.http().post('/v1/admin/payments/CEA-NOPE/retry-autopost').set(admin).expect(404);
    const { reference } = await startPayment();
    const res = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(409);
    expect(res.body.error.code).toBe('PAYMENT_NOT_VERIFIED');
    await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(asPartner()).expect(403);
  });

  it('keeps a payment without an IES client code failed until the profile gets one, then retry posts it', async () => {
    const [{ id: noCode }] = await gw.dataSource.query(`INSERT INTO customer_profiles (full_name) VALUES ('No Code') RETURNING id`);
    const { reference } = await startPayment(500_000, { customerProfileId: noCode });
    await sims.squad.completeCheckout(reference, { deliver: false });
    const p = (await gw.http().post(`/v1/payments/${reference}/verify`).set(asPartner()).expect(200)).body.data;
    expect(p).toMatchObject({ status: 'verified', autopost_status: 'failed', client_code: null });
    expect(p.last_error).toContain('client code');
    expect(await receipts()).toHaveLength(0);
    const early = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(409);
    expect(early.body.error.code).toBe('MISSING_CLIENT_CODE');
    expect((await payment(reference)).autopost_attempts).toBe(1); // refused before any attempt

    // The operator finds the profile and links it to IES (a code IES does not know is refused).
    const missing = await gw.http().get('/v1/admin/customer-profiles?missingClientCode=true').set(admin).expect(200);
    expect(missing.body.data.map((x: { id: string }) => x.id)).toEqual([noCode]);
    const wrong = await gw.http().patch(`/v1/admin/customer-profiles/${noCode}`).set(admin).send({ iesClientCode: 'CEA-999999' }).expect(400);
    expect(wrong.body.error.details[0].field).toBe('iesClientCode');
    const set = await gw.http().patch(`/v1/admin/customer-profiles/${noCode}`).set(admin).send({ iesClientCode: 'CEA-100002' }).expect(200);
    expect(set.body.data).toMatchObject({ id: noCode, ies_client_code: 'CEA-100002' });
    const audited = await gw.http().get('/v1/admin/audit-events?action=customer_profile.client_code_set').set(admin).expect(200);
    expect(audited.body.data[0]).toMatchObject({ target_id: noCode, before: { ies_client_code: null }, after: { ies_client_code: 'CEA-100002' } });
    const retried = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(200);
    expect(retried.body.data).toMatchObject({ autopost_status: 'posted', client_code: 'CEA-100002' });
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: 1.5 }, 'amount'],
    [{ amount: '2500000' }, 'amount'],
    [{ amount: 1e13 }, 'amount'],
    [{ currency: 'USD' }, 'currency'],
    [{ email: 'nope' }, 'email'],
    [{ customerProfileId: 'x' }, 'customerProfileId'],
    [{ customerProfileId: '9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b' }, 'customerProfileId'],
    [{ callbackUrl: 'javascript:alert(1)' }, 'callbackUrl'],
    [{ surprise: true }, 'surprise'],
  ])('refuses %j with 400 naming %s, and asks Squad nothing', async (override, field) => {
    const body = { amount: 2_500_000, currency: 'NGN', email: 'a@b.co', ...override };
    const res = await gw.http().post('/v1/payments').set(asPartner()).send(body).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await sims.squad.calls({ path: '/transaction/initiate' })).toHaveLength(0);
  });

  it('verifies and posts a payment Squad first reported failed, once Squad settles it', async () => {
    const { reference } = await startPayment(1_700_000);
    const failedBody = JSON.stringify({
      Event: 'charge_successful',
      TransactionRef: reference,
      Body: { amount: 1_700_000, transaction_ref: reference, gateway_ref: 'GW-F', transaction_status: 'Failed', currency: 'NGN' },
    });
    const first = await gw.http().post('/v1/webhooks/squad').set('content-type', 'application/json').set('x-squad-encrypted-body', sign(failedBody)).send(failedBody).expect(200);
    expect(first.body.data.outcome).toBe('failed');
    expect((await payment(reference)).status).toBe('failed');

    const done = await sims.squad.completeCheckout(reference); // Squad settles after all: its webhook arrives
    expect(done.webhook).toMatchObject({ delivered: true, status: 200 });
    const p = await eventually(() => payment(reference), (x) => x.autopost_status === 'posted');
    expect(p).toMatchObject({ status: 'verified', autopost_status: 'posted' });
    expect(await receipts()).toHaveLength(1);
  });

  it('answers a retry of a payment flagged for its amount with 409 AMOUNT_MISMATCH', async () => {
    const { reference } = await startPayment(2_500_000);
    const body = JSON.stringify({
      Event: 'charge_successful',
      TransactionRef: reference,
      Body: { amount: 100, transaction_ref: reference, gateway_ref: 'GW-3', transaction_status: 'Success' },
    });
    await gw.http().post('/v1/webhooks/squad').set('content-type', 'application/json').set('x-squad-encrypted-body', sign(body)).send(body).expect(200);
    await gw.dataSource.query(`UPDATE payments SET status = 'verified' WHERE reference = $1`, [reference]); // as if verified by hand
    const res = await gw.http().post(`/v1/admin/payments/${reference}/retry-autopost`).set(admin).expect(409);
    expect(res.body.error.code).toBe('AMOUNT_MISMATCH');
    expect(await receipts()).toHaveLength(0);
  });

  it('refuses a callbackUrl that could send payers anywhere', async () => {
    const plain = await gw.http().post('/v1/payments').set(asPartner()).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co', callbackUrl: 'http://evil.example/x' }).expect(400);
    expect(plain.body.error.details[0].field).toBe('callbackUrl');
    const shop = await createClient(gw, { scopes: ['payments:*'], allowedOrigins: ['https://shop.example'] });
    await gw.http().post('/v1/payments').set('x-api-key', shop.key).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co', callbackUrl: 'https://evil.example/x' }).expect(400);
    await gw.http().post('/v1/payments').set('x-api-key', shop.key).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co', callbackUrl: 'https://shop.example/paid' }).expect(201);
  });

  it("hides another client's payments, even in the same environment", async () => {
    const { reference } = await startPayment();
    const other = await createClient(gw, { scopes: ['payments:*'] });
    await gw.http().get(`/v1/payments/${reference}`).set('x-api-key', other.key).expect(404);
    await gw.http().post(`/v1/payments/${reference}/verify`).set('x-api-key', other.key).expect(404);
  });

  it("hides another environment's payments and needs the payments scopes", async () => {
    const { reference } = await startPayment();
    const testEnv = await createClient(gw, { environment: 'test', scopes: ['payments:*'] });
    await gw.http().get(`/v1/payments/${reference}`).set('x-api-key', testEnv.key).expect(404);
    await gw.http().post(`/v1/payments/${reference}/verify`).set('x-api-key', testEnv.key).expect(404);
    const reader = await createClient(gw, { scopes: ['payments:read'] });
    await gw.http().post('/v1/payments').set('x-api-key', reader.key).send({}).expect(403);
    // A test key reaches the simulated providers only.
    await gw.http().post('/v1/payments').set('x-api-key', testEnv.key).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co' }).expect(201);
  });

  it('answers 502 when Squad refuses to start a payment (kept as failed), or fails ambiguously (kept pending)', async () => {
    await sims.squad.fault({ method: 'POST', path: '/transaction/initiate', mode: 'error', status: 400, count: 1 });
    const refused = await gw.http().post('/v1/payments').set(asPartner()).send({ amount: 2_500_000, currency: 'NGN', email: 'a@b.co' }).expect(502);
    expect(refused.body.error.code).toBe('PROVIDER_ERROR');

    // A 5xx may hide a checkout Squad did create: the payment stays pending, so Squad's
    // webhook can still settle it.
    await sims.squad.fault({ method: 'POST', path: '/transaction/initiate', mode: 'error', status: 500, count: 1 });
    await gw.http().post('/v1/payments').set(asPartner()).send({ amount: 2_600_000, currency: 'NGN', email: 'a@b.co' }).expect(502);
    const rows = await gw.dataSource.query(`SELECT amount_kobo::int AS amount, status, last_error FROM payments ORDER BY amount_kobo`);
    expect(rows).toEqual([
      { amount: 2_500_000, status: 'failed', last_error: expect.stringContaining('Squad') },
      { amount: 2_600_000, status: 'pending', last_error: expect.stringContaining('Squad') },
    ]);
  });
});

describe('test keys and live providers', () => {
  it('refuses a test key on payment routes when Squad is a real (configured) provider', async () => {
    const squad = new SquadSimulator({ secretKey: 'sq_live' });
    const squadUrl = await squad.listen(0, '127.0.0.1');
    const gw = await startGateway({ SQUAD_BASE_URL: squadUrl, SQUAD_SECRET_KEY: 'sq_live' });
    try {
      await gw.reset();
      const testKey = await createClient(gw, { environment: 'test', scopes: ['payments:*'] });
      const res = await gw.http().post('/v1/payments').set('x-api-key', testKey.key).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co' }).expect(403);
      expect(res.body.error.code).toBe('ENVIRONMENT_NOT_ALLOWED');
      const live = await createClient(gw, { scopes: ['payments:*'] });
      await gw.http().post('/v1/payments').set('x-api-key', live.key).send({ amount: 100_000, currency: 'NGN', email: 'a@b.co' }).expect(201);
    } finally {
      await gw.close();
      await squad.close();
    }
  });
});

describe('background autopost retries', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ AUTOPOST_WORKER_INTERVAL_MS: '200', AUTOPOST_BACKOFF_MS: '100', PROVIDER_MAX_RETRIES: '0' });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('posts after a transient IES failure without anyone pressing retry', async () => {
    const sims = simulatorsOf(gw);
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'error', status: 503, count: 2 });
    const created = await gw
      .http()
      .post('/v1/payments')
      .set('x-api-key', partner.key)
      .send({ amount: 700_000, currency: 'NGN', email: 'a@b.co', clientCode: 'CEA-100003' })
      .expect(201);
    const ref = created.body.data.reference;
    await sims.squad.completeCheckout(ref, { deliver: false });
    const first = await gw.http().post(`/v1/payments/${ref}/verify`).set('x-api-key', partner.key).expect(200);
    expect(first.body.data.autopost_status).toBe('failed');

    const read = async () => (await gw.http().get(`/v1/payments/${ref}`).set('x-api-key', partner.key)).body.data;
    const done = await eventually(read, (p) => p.autopost_status === 'posted', 15000);
    expect(done).toMatchObject({ autopost_status: 'posted', autopost_attempts: 3 });
    expect(await sims.ies.calls({ method: 'POST', path: '/receipts' })).toHaveLength(3);
  });
});

describe('autopost while the IES circuit is open', () => {
  it('does not count refusals of an open circuit as attempts', async () => {
    const gw = await startGateway({
      AUTOPOST_WORKER_INTERVAL_MS: '0',
      PROVIDER_MAX_RETRIES: '0',
      PROVIDER_CIRCUIT_THRESHOLD: '2',
      PROVIDER_CIRCUIT_HALF_OPEN_MS: '60000',
    });
    try {
      await gw.reset();
      const sims = simulatorsOf(gw);
      await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'error', status: 503 });
      const partner = await createClient(gw, { scopes: ['payments:*'] });
      const ref = (
        await gw.http().post('/v1/payments').set('x-api-key', partner.key).send({ amount: 700_000, currency: 'NGN', email: 'a@b.co', clientCode: 'CEA-100001' }).expect(201)
      ).body.data.reference;
      await sims.squad.completeCheckout(ref, { deliver: false });
      await gw.http().post(`/v1/payments/${ref}/verify`).set('x-api-key', partner.key).expect(200); // attempt 1 fails
      await gw.http().post(`/v1/admin/payments/${ref}/retry-autopost`).set('x-api-key', ADMIN_KEY).expect(200); // attempt 2 fails; circuit opens
      for (let i = 0; i < 5; i++) {
        const res = await gw.http().post(`/v1/admin/payments/${ref}/retry-autopost`).set('x-api-key', ADMIN_KEY).expect(200);
        expect(res.body.data.autopost_status).toBe('failed');
      }
      const p = (await gw.http().get(`/v1/payments/${ref}`).set('x-api-key', partner.key)).body.data;
      expect(p.autopost_attempts).toBe(2);
      expect(p.last_error).toContain('unavailable');
      expect(await sims.ies.calls({ method: 'POST', path: '/receipts' })).toHaveLength(2);
    } finally {
      await gw.close();
    }
  });
});
