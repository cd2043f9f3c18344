import { startGateway, TestGateway } from './support/gateway';
import { eventually } from './support/providers';

/** Request-log and provider-call rows past RECORDS_RETENTION_DAYS are swept; younger ones stay. */
describe('records retention', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ RECORDS_RETENTION_DAYS: '2', RECORDS_SWEEP_INTERVAL_MS: '200' });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('deletes rows older than the retention period, and only those', async () => {
    const q = (sql: string) => gw.dataSource.query(sql);
    await q(`INSERT INTO api_requests (id, method, path, status_code, latency_ms, request_id, created_at) VALUES
      (gen_random_uuid(), 'GET', '/v1/me', 200, 1, 'old-1', now() - interval '3 days'),
      (gen_random_uuid(), 'GET', '/v1/me', 200, 1, 'young-1', now() - interval '1 day')`);
    await q(`INSERT INTO provider_calls (id, provider, operation, method, url, status, latency_ms, created_at) VALUES
      (gen_random_uuid(), 'ies', 'ping', 'GET', 'http://x/health', 'ok', 1, now() - interval '3 days'),
      (gen_random_uuid(), 'ies', 'ping', 'GET', 'http://x/health', 'ok', 1, now() - interval '1 day')`);

    const left = await eventually(
      async () => ({
        requests: (await q(`SELECT request_id FROM api_requests WHERE request_id IN ('old-1', 'young-1')`)).map((r: { request_id: string }) => r.request_id),
        calls: Number((await q(`SELECT count(*) AS n FROM provider_calls WHERE created_at < now() - interval '12 hours'`))[0].n),
      }),
      (v) => v.requests.length === 1 && v.calls === 1,
    );
    expect(left).toEqual({ requests: ['young-1'], calls: 1 });
  });
});
