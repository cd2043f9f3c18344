import { ConfigError, loadConfig } from '../src/config/app-config';
import { IesClient } from '../src/providers/clients/ies.client';
import { SquadClient } from '../src/providers/clients/squad.client';
import { ProviderCallLog } from '../src/providers/provider-call-log.service';
import { createClient } from './support/clients';
import { ADMIN_KEY, captureOutput, startGateway, TestGateway } from './support/gateway';
import { eventually, simulatorsOf } from './support/providers';

const SECRETS = {
  IES_API_KEY: 'iesKeyMarker7f3a9c1e5b2d',
  SQUAD_SECRET_KEY: 'sk_squadSecretMarker4e8b1a7c3f9d',
  MONO_SECRET_KEY: 'live_sk_monoSecretMarker2c6e0a8f4b1d',
};
const BVN = '22211122233';

/** Provider secrets and BVNs never reach a table or the process output, whatever happens. */
describe('provider secrets and BVNs stay out of logs and tables', () => {
  let gw: TestGateway;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    output = captureOutput();
    // The in-process simulators take the configured keys, so the real headers are exercised.
    gw = await startGateway({ LOG_LEVEL: 'trace', MONO_TIMEOUT_MS: '500', PROVIDER_CIRCUIT_THRESHOLD: '1000', ...SECRETS });
    await gw.reset();
  });
  afterAll(async () => {
    await gw.close();
    output.stop();
  });

  it('after KYC lookups, payments calls, receipts, faults and status checks, none is found anywhere', async () => {
    const sims = simulatorsOf(gw);
    const partner = await createClient(gw, { scopes: ['kyc:*'] });
    const kyc = (path: string, body: unknown) =>
      gw.http().post(`/v1/kyc/bvn/lookups${path}`).set('x-api-key', partner.key).send(body as object);

    const { session_id: sessionId } = (await kyc('', { bvn: BVN }).expect(201)).body.data;
    await kyc(`/${sessionId}/verify`, { method: 'email' }).expect(200);
    await kyc(`/${sessionId}/details`, { otp: '123456' }).expect(200);
    await kyc('', { bvn: `${BVN}9` }).expect(400);
    await kyc('', { bvn: `x${BVN}` }).expect(400);
    await sims.mono.fault({ path: '/v2', mode: 'error', status: 500, count: 1 });
    await kyc('', { bvn: BVN }).expect(502);
    await sims.mono.fault({ path: '/v2', mode: 'timeout', count: 1 });
    await kyc('', { bvn: BVN }).expect(504);

    const squad = gw.app.get(SquadClient);
    await squad.initiatePayment({ reference: 'SEC-1', amount: 100000, currency: 'NGN', email: 'a@example.com', callbackUrl: 'https://x.example/cb' });
    await squad.verifyTransaction('SEC-1');
    await sims.squad.fault({ path: '/transaction', mode: 'error', status: 401, count: 1 });
    await squad.verifyTransaction('SEC-1').catch(() => undefined);
    const hook = (await sims.squad.completeCheckout('SEC-1', { deliver: false })).webhook!;
    expect(squad.verifyWebhookSignature(hook.body, hook.signature)).toBe(true);

    await gw.app.get(IesClient).postReceipt({ reference: 'SEC-1', clientCode: 'CEA-100001', amount: 100000, currency: 'NGN' });
    await gw.http().get('/v1/admin/providers/status').set('x-api-key', ADMIN_KEY).expect(200);

    await gw.app.get(ProviderCallLog).flush();
    const rows = await eventually(
      () => gw.http().get('/v1/admin/provider-calls?limit=500').set('x-api-key', ADMIN_KEY),
      (r) => r.body.data?.length >= 12,
    );
    expect(rows.body.data.length).toBeGreaterThanOrEqual(12); // the log really has the calls

    const needles = [...Object.values(SECRETS), BVN];
    const logs = output.text();
    expect(logs).toContain('Mono bvn.initiate failed'); // the provider warnings really were captured
    for (const needle of needles) expect([needle, logs.includes(needle)]).toEqual([needle, false]);

    const tables: Array<{ tablename: string }> = await gw.dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`,
    );
    expect(tables.map((t) => t.tablename)).toContain('provider_calls');
    for (const { tablename } of tables) {
      const dump = JSON.stringify(await gw.dataSource.query(`SELECT * FROM "${tablename}"`));
      for (const needle of needles) expect([tablename, needle, dump.includes(needle)]).toEqual([tablename, needle, false]);
    }
  });

  it('an invalid provider variable is named without showing its value', () => {
    let message = '';
    try {
      loadConfig({ SQUAD_BASE_URL: 'ftp://user:hunter2@squad.example', MONO_TIMEOUT_MS: '5' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('SQUAD_BASE_URL=(value hidden)');
    expect(message).toContain('MONO_TIMEOUT_MS');
    expect(message).not.toContain('hunter2');
    expect(() => loadConfig({ NODE_ENV: 'production', SQUAD_BASE_URL: 'https://api-d.squadco.com' })).toThrow(/SQUAD_SECRET_KEY is required/);
    expect(() => loadConfig({ PROVIDER_SIMULATORS: 'off', IES_BASE_URL: 'http://ies.internal' })).toThrow(/SQUAD_BASE_URL.*\n.*MONO_BASE_URL/);
  });
});
