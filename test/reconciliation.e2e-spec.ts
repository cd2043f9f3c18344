import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';
import { Simulators, simulatorsOf } from './support/providers';

/** The seed's summary and reconciliation runs, counted from real tables. */
describe('reconciliation', () => {
  let gw: TestGateway;
  let sims: Simulators;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway({ AUTOPOST_WORKER_INTERVAL_MS: '0' });
    sims = simulatorsOf(gw);
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
    await sims.reset();
  });

  /** Inserts a known world: 3 products, 4 profiles (1 without code), 5 quotes, 3 policies (2 without profile), payments with gaps. */
  async function seedWorld() {
    const q = (sql: string, params: unknown[] = []) => gw.dataSource.query(sql, params);
    const products = [];
    for (const code of ['MOTOR', 'HOME', 'LIFE']) products.push((await q(`INSERT INTO insurance_products (code, name) VALUES ($1, $1) RETURNING id`, [code]))[0].id);
    const profiles = [];
    for (const [name, code] of [['A', 'CEA-100001'], ['B', 'CEA-100002'], ['C', 'CEA-100003'], ['D', null]]) {
      profiles.push((await q(`INSERT INTO customer_profiles (full_name, ies_client_code) VALUES ($1, $2) RETURNING id`, [name, code]))[0].id);
    }
    for (let i = 0; i < 5; i++) await q(`INSERT INTO quote_applications (customer_profile_id, product_id, premium_kobo, status) VALUES ($1, $2, 100000, 'draft')`, [profiles[i % 4], products[0]]);
    await q(`INSERT INTO policies (policy_number, customer_profile_id, product_id, status) VALUES ('POL-1', $1, $2, 'active')`, [profiles[0], products[0]]);
    await q(`INSERT INTO policies (policy_number, customer_profile_id, product_id, status) VALUES ('POL-ORPHAN-1', NULL, $1, 'active')`, [products[1]]);
    await q(`INSERT INTO policies (policy_number, customer_profile_id, product_id, status) VALUES ('POL-ORPHAN-2', NULL, $1, 'active')`, [products[2]]);
    const pay = (ref: string, status: string, autopost: string, code: string | null, extra = '') =>
      q(
        `INSERT INTO payments (reference, amount_kobo, currency, email, client_code, environment, status, autopost_status, autopost_attempts, last_error, created_at ${extra ? ', amount_mismatch_kobo' : ''})
         VALUES ($1, 500000, 'NGN', 'x@y.co', $2, 'live', $3, $4, 2, 'IES answered HTTP 503', now() - interval '3 days' ${extra ? `, ${extra}` : ''})`,
        [ref, code, status, autopost],
      );
    await pay('REF-POSTED', 'verified', 'posted', 'CEA-100001');
    await pay('REF-NOT-POSTED', 'verified', 'failed', 'CEA-100002');
    await pay('REF-NO-CODE-1', 'pending', 'not_posted', null);
    await pay('REF-NO-CODE-2', 'verified', 'failed', null);
    await pay('REF-MISMATCH', 'pending', 'not_posted', 'CEA-100003', '50000');
  }

  it("answers the seed's summary shape with counts equal to what was inserted", async () => {
    const empty = await gw.http().get('/v1/admin/reconciliation/summary').set(admin).expect(200);
    expect(empty.body).toEqual({
      ok: true,
      data: {
        profiles_total: 0,
        policies_missing_customer_profile_id: 0,
        payments_missing_client_code: 0,
        quote_applications_total: 0,
        insurance_products_total: 0,
        recent_runs: [],
      },
    });
    await seedWorld();
    const res = await gw.http().get('/v1/admin/reconciliation/summary').set(admin).expect(200);
    expect(res.body.data).toEqual({
      profiles_total: 4,
      policies_missing_customer_profile_id: 2,
      payments_missing_client_code: 2,
      quote_applications_total: 5,
      insurance_products_total: 3,
      recent_runs: [],
    });
  });

  it('runs every check and stores findings that name the gaps; the run shows in the summary and lists', async () => {
    await seedWorld();
    // Today: one payment settled at Squad whose webhook never arrived.
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    const started = await gw
      .http()
      .post('/v1/payments')
      .set('x-api-key', partner.key)
      .send({ amount: 900_000, currency: 'NGN', email: 'a@b.co', clientCode: 'CEA-100001' })
      .expect(201);
    const missed = started.body.data.reference;
    await sims.squad.completeCheckout(missed, { deliver: false });

    const res = await gw.http().post('/v1/admin/reconciliation/runs').set(admin).expect(201);
    const run = res.body.data;
    expect(run).toMatchObject({ trigger: 'manual', status: 'completed', error: null });
    expect(run.counts).toMatchObject({
      verified_not_posted: 2,
      payments_missing_client_code: 2,
      policies_missing_customer_profile_id: 2,
      amount_mismatch: 1,
      squad_checked: 1,
      squad_status_mismatch: 1,
    });
    const named = (check: string) =>
      run.findings.filter((f: { check: string }) => f.check === check).map((f: { subject: { reference: string } }) => f.subject.reference).sort();
    expect(named('verified_not_posted')).toEqual(['REF-NO-CODE-2', 'REF-NOT-POSTED']);
    expect(named('payment_missing_client_code')).toEqual(['REF-NO-CODE-1', 'REF-NO-CODE-2']);
    expect(named('policy_missing_customer_profile')).toEqual(['POL-ORPHAN-1', 'POL-ORPHAN-2']);
    expect(named('amount_mismatch')).toEqual(['REF-MISMATCH']);
    expect(named('squad_status_mismatch')).toEqual([missed]);
    expect(run.findings.find((f: { check: string }) => f.check === 'squad_status_mismatch').message).toContain('still pending');

    const summary = await gw.http().get('/v1/admin/reconciliation/summary').set(admin).expect(200);
    expect(summary.body.data.recent_runs).toEqual([
      expect.objectContaining({ id: run.id, status: 'completed', findings_total: run.findings.length }),
    ]);
    const list = await gw.http().get('/v1/admin/reconciliation/runs').set(admin).expect(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([run.id]);
    const one = await gw.http().get(`/v1/admin/reconciliation/runs/${run.id}`).set(admin).expect(200);
    expect(one.body.data).toEqual(run);
    await gw.http().get('/v1/admin/reconciliation/runs/not-a-uuid').set(admin).expect(400);
    await gw.http().get('/v1/admin/reconciliation/runs/9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b').set(admin).expect(404);

    // The run is in the audit trail, by the admin who started it.
    const [{ id: adminId }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
    const audit = await gw.http().get('/v1/admin/audit-events?action=reconciliation.run').set(admin).expect(200);
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        actor_client_id: adminId,
        target_type: 'reconciliation_run',
        target_id: run.id,
        request_id: res.headers['x-request-id'],
        before: null,
        after: { trigger: 'manual', status: 'completed', counts: run.counts },
      }),
    ]);
  });

  it('reports a Squad outage as unchecked payments instead of failing the run', async () => {
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    await gw.http().post('/v1/payments').set('x-api-key', partner.key).send({ amount: 900_000, currency: 'NGN', email: 'a@b.co' }).expect(201);
    await sims.squad.fault({ path: '/transaction/verify', mode: 'error', status: 500 });
    const run = (await gw.http().post('/v1/admin/reconciliation/runs').set(admin).expect(201)).body.data;
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ squad_checked: 0, squad_unreachable: 1 });
  });

  it('runs one reconciliation at a time', async () => {
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    await gw.http().post('/v1/payments').set('x-api-key', partner.key).send({ amount: 900_000, currency: 'NGN', email: 'a@b.co' }).expect(201);
    await sims.squad.fault({ path: '/transaction/verify', mode: 'timeout', delayMs: 700 });
    const [a, b] = await Promise.all([
      gw.http().post('/v1/admin/reconciliation/runs').set(admin),
      gw.http().post('/v1/admin/reconciliation/runs').set(admin),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('RECONCILIATION_IN_PROGRESS');
  });

  it('needs admin:read to read and admin:write to run', async () => {
    const reader = await createClient(gw, { scopes: ['admin:read'] });
    await gw.http().get('/v1/admin/reconciliation/summary').set('x-api-key', reader.key).expect(200);
    await gw.http().post('/v1/admin/reconciliation/runs').set('x-api-key', reader.key).expect(403);
    await gw.http().get('/v1/admin/reconciliation/summary').expect(401);
  });
});
