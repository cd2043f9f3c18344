import type { Response } from 'supertest';
import { ADMIN_KEY, startGateway, TestGateway } from './support/gateway';
import { createClient } from './support/clients';

interface Event {
  id: string;
  actor_client_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  created_at: string;
}

describe('audit trail', () => {
  let gw: TestGateway;
  let adminId: string;
  const admin = { 'x-api-key': ADMIN_KEY };

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    await gw.reset();
    [{ id: adminId }] = await gw.dataSource.query(`SELECT id FROM api_clients WHERE name = 'bootstrap admin'`);
  });

  const events = async (qs = '') => {
    const res = await gw.http().get(`/v1/admin/audit-events?limit=500${qs}`).set(admin).expect(200);
    return res.body.data as Event[];
  };

  it('records each admin mutation with actor, target, changed fields and request id — never key material', async () => {
    const created = await gw
      .http()
      .post('/v1/admin/api-clients')
      .set(admin)
      .send({ name: 'Old name', scopes: ['payments:*'], contactEmail: 'ops@example.com' })
      .expect(201);
    const c = created.body.data;
    const api = (method: 'patch' | 'post' | 'delete', path: string, body?: object) =>
      gw.http()[method](`/v1/admin/api-clients/${c.id}${path}`).set(admin).send(body).expect(200);

    const patched = await api('patch', '', { name: 'New name', rateLimitPerMinute: 60, contactEmail: 'ops@example.com' });
    const suspended = await api('patch', '', { status: 'suspended' });
    const reactivated = await api('patch', '', { status: 'active' });
    const rotated = await api('post', '/rotate-key', { gracePeriodSeconds: 60 });
    const revoked = await api('post', '/revoke');
    await api('post', '/revoke'); // a no-op: nothing changed, nothing recorded
    await api('delete', '');

    const trail = (await events(`&targetId=${c.id}`)).reverse();
    const rid = (res: { headers: Record<string, string> }) => res.headers['x-request-id'];
    expect(trail.map((e) => [e.action, e.request_id])).toEqual([
      ['api_client.created', rid(created)],
      ['api_client.patched', rid(patched)],
      ['api_client.suspended', rid(suspended)],
      ['api_client.reactivated', rid(reactivated)],
      ['api_client.key_rotated', rid(rotated)],
      ['api_client.revoked', rid(revoked)],
    ]);
    for (const e of trail) {
      expect(e).toMatchObject({ actor_client_id: adminId, target_type: 'api_client', target_id: c.id });
    }
    const [create, patch, suspend, reactivate, rotate, revoke] = trail;
    expect(create.before).toBeNull();
    expect(create.after).toEqual({
      name: 'Old name',
      environment: 'live',
      scopes: ['payments:*'],
      status: 'active',
      key_prefix: c.key_prefix,
      contact_email: 'ops@example.com',
      allowed_origins: [],
      rate_limit_per_minute: 120,
      monthly_quota: null,
    });
    // Only what changed: the contact email was sent unchanged.
    expect([patch.before, patch.after]).toEqual([
      { name: 'Old name', rate_limit_per_minute: 120 },
      { name: 'New name', rate_limit_per_minute: 60 },
    ]);
    expect([suspend.before, suspend.after]).toEqual([{ status: 'active' }, { status: 'suspended' }]);
    expect([reactivate.before, reactivate.after]).toEqual([{ status: 'suspended' }, { status: 'active' }]);
    expect([rotate.before, rotate.after]).toEqual([
      { key_prefix: c.key_prefix },
      { key_prefix: rotated.body.data.keyPrefix, previous_key_expires_at: rotated.body.data.previousKeyExpiresAt },
    ]);
    expect([revoke.before, revoke.after]).toEqual([
      { status: 'active', revoked_at: null },
      { status: 'revoked', revoked_at: revoked.body.data.revoked_at },
    ]);

    const table = JSON.stringify(await gw.dataSource.query(`SELECT * FROM audit_events`));
    for (const key of [c.api_key, rotated.body.data.apiKey, ADMIN_KEY]) expect(table).not.toContain(key.split('_')[3]);
    expect(table).not.toMatch(/api_?key"|hash/i);
  });

  it('records revocation by DELETE and by PATCH, and the gateway\'s own creation of the bootstrap admin', async () => {
    const a = await createClient(gw);
    const b = await createClient(gw);
    await gw.http().delete(`/v1/admin/api-clients/${a.id}`).set(admin).expect(200);
    await gw.http().patch(`/v1/admin/api-clients/${b.id}`).set(admin).send({ status: 'revoked' }).expect(200);
    const revocations = await events('&action=api_client.revoked');
    expect(revocations.map((e) => e.target_id)).toEqual([b.id, a.id]);

    const [bootstrap] = await events(`&targetId=${adminId}`);
    expect(bootstrap).toMatchObject({ action: 'api_client.created', actor_client_id: null, request_id: null });
  });

  it('writes no event when the change is refused (same transaction)', async () => {
    const before = (await events()).length;
    const res = await gw.http().post(`/v1/admin/api-clients/${adminId}/revoke`).set(admin).expect(409);
    expect(res.body.error.code).toBe('LAST_ADMIN');
    await gw.http().patch(`/v1/admin/api-clients/${adminId}`).set(admin).send({ scopes: ['admin:read'] }).expect(409);
    expect(await events()).toHaveLength(before);
  });

  it('filters by action, actor and target, newest first, with a cursor', async () => {
    const other = await createClient(gw, { scopes: ['admin:*'] });
    const a = await createClient(gw, { name: 'A' });
    const b = await createClient(gw, { name: 'B' }, other.key);
    await gw.http().patch(`/v1/admin/api-clients/${a.id}`).set('x-api-key', other.key).send({ name: 'A2' }).expect(200);
    await gw.http().patch(`/v1/admin/api-clients/${b.id}`).set(admin).send({ name: 'B2' }).expect(200);

    const byOther = await events(`&actorClientId=${other.id}`);
    expect(byOther.map((e) => [e.action, e.target_id])).toEqual([
      ['api_client.patched', a.id],
      ['api_client.created', b.id],
    ]);
    const patches = await events('&action=api_client.patched');
    expect(patches.map((e) => e.target_id)).toEqual([b.id, a.id]);
    const ofB = await events(`&targetId=${b.id}&actorClientId=${adminId}`);
    expect(ofB.map((e) => e.action)).toEqual(['api_client.patched']);

    const all = await events();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await gw.http().get(`/v1/admin/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(admin).expect(200);
      seen.push(...res.body.data.map((e: Event) => e.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it.each([
    ['action=DROP TABLE', 'action=DROP TABLE'],
    ['actorClientId=abc', 'actorClientId=abc'],
    ['limit=0', 'limit=0'],
    ['cursor=x', 'cursor=x'],
    ['a 200-character targetId', `targetId=${'x'.repeat(200)}`],
  ])('refuses %s with 400', async (_label, qs) => {
    const res = await gw.http().get(`/v1/admin/audit-events?${qs}`).set(admin).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    await createClient(gw);
    const rows = await gw.dataSource.query(`SELECT * FROM audit_events ORDER BY created_at`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    await expect(gw.dataSource.query(`UPDATE audit_events SET action = 'api_client.nothing'`)).rejects.toThrow(/append-only/);
    await expect(gw.dataSource.query(`DELETE FROM audit_events WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    expect(await gw.dataSource.query(`SELECT * FROM audit_events ORDER BY created_at`)).toEqual(rows);
  });

  it('needs admin:read', async () => {
    const partner = await createClient(gw);
    await gw.http().get('/v1/admin/audit-events').set('x-api-key', partner.key).expect(403);
  });
});
