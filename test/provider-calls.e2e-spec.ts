import { randomUUID } from 'node:crypto';
import { IesClient } from '../src/providers/clients/ies.client';
import { MonoClient } from '../src/providers/clients/mono.client';
import { SquadClient } from '../src/providers/clients/squad.client';
import { ProviderCallLog } from '../src/providers/provider-call-log.service';
import { ProviderEndpoints } from '../src/providers/provider-endpoints.service';
import { runWithRequestId } from '../src/providers/request-scope';
import { createClient } from './support/clients';
import { ADMIN_KEY, startGateway, tempDataDir, TestGateway } from './support/gateway';
import { eventually, Simulators, simulatorsOf } from './support/providers';

interface CallRow {
  id: string;
  provider: string;
  operation: string;
  method: string;
  url: string;
  status: string;
  http_status: number | null;
  latency_ms: number;
  error: string | null;
  request_id: string | null;
  attempt: number;
  created_at: string;
}

/** GET /v1/admin/provider-calls: every outbound call, written off the request path, filterable. */
describe('provider-call log', () => {
  let gw: TestGateway;
  let sims: Simulators;

  beforeAll(async () => {
    gw = await startGateway({ IES_TIMEOUT_MS: '600', PROVIDER_MAX_RETRIES: '1', PROVIDER_CIRCUIT_THRESHOLD: '1000' });
    sims = simulatorsOf(gw);
  });
  afterAll(() => gw.close());
  beforeEach(async () => {
    await sims.reset();
    // Rows of the previous test still buffered would land after the truncate otherwise.
    await gw.app.get(ProviderCallLog).flush();
    await gw.reset();
  });

  const list = async (query = '', key = ADMIN_KEY) => {
    const res = await gw.http().get(`/v1/admin/provider-calls${query}`).set('x-api-key', key);
    return res;
  };
  /** The rows of one request id, once they are all written. */
  const rowsOf = async (requestId: string, expected: number): Promise<CallRow[]> => {
    const res = await eventually(
      () => list(`?requestId=${requestId}`),
      (r) => r.status !== 200 || r.body.data.length >= expected,
    );
    expect(res.status).toBe(200);
    return res.body.data;
  };

  it('records every attempt with the contract fields and the request id that caused it', async () => {
    const requestId = `req-${randomUUID()}`;
    await sims.ies.fault({ path: '/customers/', mode: 'error', status: 503, count: 1 });
    await runWithRequestId(requestId, async () => {
      await gw.app.get(IesClient).getCustomer('CEA-100001');
      await gw.app.get(SquadClient).verifyTransaction('CEA-PAY-404');
      await gw.app.get(MonoClient).initiateBvnLookup('22212345678');
    });
    const endpoints = gw.app.get(ProviderEndpoints);
    // Sorted by provider and attempt (calls finishing within one millisecond may tie on time).
    const rows = (await rowsOf(requestId, 4)).sort((a, b) => b.provider.localeCompare(a.provider) || b.attempt - a.attempt);
    expect(rows.map((r) => [r.provider, r.operation, r.status, r.http_status, r.attempt])).toEqual([
      ['squad', 'transaction.verify', 'ok', 400, 1], // Squad's "unknown ref" is an answer
      ['mono', 'bvn.initiate', 'ok', 200, 1],
      ['ies', 'customers.get', 'ok', 200, 2],
      ['ies', 'customers.get', 'failed', 503, 1],
    ]);
    const [squadRow, monoRow, iesOk, iesFailed] = rows;
    expect(monoRow).toEqual({
      id: expect.any(String),
      provider: 'mono',
      operation: 'bvn.initiate',
      method: 'POST',
      url: `${endpoints.baseUrl('mono')}/v2/lookup/bvn/initiate`,
      status: 'ok',
      http_status: 200,
      latency_ms: expect.any(Number),
      error: null,
      request_id: requestId,
      attempt: 1,
      created_at: expect.any(String),
    });
    expect(squadRow.url).toBe(`${endpoints.baseUrl('squad')}/transaction/verify/CEA-PAY-404`);
    expect(iesOk.method).toBe('GET');
    expect(iesFailed.error).toBe('HTTP 503');
    expect(new Date(iesFailed.created_at).toISOString()).toBe(iesFailed.created_at);
  });

  it('records timeouts and dropped connections as failed with no HTTP status', async () => {
    const requestId = `req-${randomUUID()}`;
    await sims.ies.fault({ path: '/policies/', mode: 'timeout' });
    await sims.squad.fault({ path: '/transaction/initiate', mode: 'down' });
    await runWithRequestId(requestId, async () => {
      await gw.app.get(IesClient).getPolicy('POL-2026-000101').catch(() => undefined);
      await gw.app
        .get(SquadClient)
        .initiatePayment({ reference: 'R-9', amount: 10000, currency: 'NGN', email: 'a@example.com', callbackUrl: 'https://x.example/cb' })
        .catch(() => undefined);
    });
    const rows = (await rowsOf(requestId, 2)).sort((a, b) => b.provider.localeCompare(a.provider));
    expect(rows.map((r) => [r.provider, r.status, r.http_status, r.error])).toEqual([
      ['squad', 'failed', null, expect.stringMatching(/^connection dropped/)],
      ['ies', 'failed', null, 'timeout after 600 ms'],
    ]);
    expect(rows[1].latency_ms).toBeGreaterThanOrEqual(500);
  });

  it('masks query values in the recorded URL (they can be personal data)', async () => {
    const requestId = `req-${randomUUID()}`;
    await runWithRequestId(requestId, () => gw.app.get(IesClient).findCustomers({ email: 'adaeze.okafor@example.com', phone: '+2348030000001' }));
    const [row] = await rowsOf(requestId, 1);
    expect(row.url).toBe(`${gw.app.get(ProviderEndpoints).baseUrl('ies')}/customers?email=***&phone=***`);
  });

  it('filters by provider, operation and status; pages with limit and cursor', async () => {
    const ies = gw.app.get(IesClient);
    const squad = gw.app.get(SquadClient);
    await sims.squad.fault({ path: '/transaction/verify/F', mode: 'error', status: 500 });
    await runWithRequestId(`req-${randomUUID()}`, async () => {
      for (let i = 0; i < 3; i++) await ies.getCustomer('CEA-100001');
      await ies.getPolicy('POL-2026-000101');
      await squad.verifyTransaction('OK-REF');
      await squad.verifyTransaction('F-REF').catch(() => undefined); // 500 twice (one retry)
    });
    await eventually(() => list(), (r) => r.body.data?.length >= 7);

    const byProvider = (await list('?provider=ies')).body.data as CallRow[];
    expect(byProvider).toHaveLength(4);
    expect(new Set(byProvider.map((r) => r.provider))).toEqual(new Set(['ies']));
    const byOperation = (await list('?operation=customers.get')).body.data as CallRow[];
    expect(byOperation).toHaveLength(3);
    const failed = (await list('?status=failed')).body.data as CallRow[];
    expect(failed.map((r) => [r.provider, r.operation, r.http_status])).toEqual([
      ['squad', 'transaction.verify', 500],
      ['squad', 'transaction.verify', 500],
    ]);
    expect((await list('?provider=squad&status=ok')).body.data).toHaveLength(1);

    const first = await list('?limit=4');
    expect(first.body.data).toHaveLength(4);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await list(`?limit=4&cursor=${first.body.next_cursor}`);
    expect(second.body.data).toHaveLength(3);
    expect(second.body.next_cursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((r: CallRow) => r.id);
    expect(new Set(ids).size).toBe(7);
    const all = (await list()).body.data as CallRow[];
    expect(all.map((r) => r.id)).toEqual(ids);
  });

  it('refuses bad filters and limits with 400, and callers without admin:read', async () => {
    for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?provider=paystack', '?status=maybe', '?cursor=nope', '?requestId=a%20b']) {
      const res = await list(query);
      expect([query, res.status, res.body.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
    expect((await list('?limit=500')).status).toBe(200);
    const partner = await createClient(gw, { scopes: ['payments:*'] });
    expect((await list('', partner.key)).status).toBe(403);
    expect((await gw.http().get('/v1/admin/provider-calls')).status).toBe(401);
  });

  it('rows buffered at shutdown are written before the database closes', async () => {
    const dir = tempDataDir(); // embedded: on disk, so a second gateway can read it
    const requestId = `req-${randomUUID()}`;
    const first = await startGateway({ DATA_DIR: dir });
    try {
      await runWithRequestId(requestId, () => first.app.get(IesClient).getCustomer('CEA-100002'));
    } finally {
      await first.close(); // right away: the row is still in the buffer
    }
    const again = await startGateway({ DATA_DIR: dir });
    try {
      const rows = await again.dataSource.query(`SELECT operation, status FROM provider_calls WHERE request_id = $1`, [requestId]);
      expect(rows).toEqual([{ operation: 'customers.get', status: 'ok' }]);
    } finally {
      await again.close();
    }
  });
});
