import { IesClient } from '../src/providers/clients/ies.client';
import { MonoClient } from '../src/providers/clients/mono.client';
import { SquadClient } from '../src/providers/clients/squad.client';
import { ProviderEndpoints } from '../src/providers/provider-endpoints.service';
import { ProviderException } from '../src/providers/providers.errors';
import { sleep, startGateway, TestGateway } from './support/gateway';
import { closedPort, Simulators, simulatorsOf } from './support/providers';

const TIMEOUT_MS = 800;
/** Room for a loaded machine: a hang fails this bound, a timeout honoured passes it. */
const SLACK_MS = 3000;

/** What a provider call rejected with (fails the test if it resolved). */
async function failure(call: Promise<unknown>): Promise<ProviderException> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a provider failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ProviderException);
  return outcome.error as ProviderException;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - started };
}

/**
 * The three typed clients against the built-in simulators, over real HTTP: the success paths,
 * each fault mode as the caller sees it, and retries only where repeating is safe.
 */
describe('provider clients', () => {
  let gw: TestGateway;
  let sims: Simulators;
  let ies: IesClient;
  let squad: SquadClient;
  let mono: MonoClient;

  beforeAll(async () => {
    gw = await startGateway({
      IES_TIMEOUT_MS: String(TIMEOUT_MS),
      SQUAD_TIMEOUT_MS: String(TIMEOUT_MS),
      MONO_TIMEOUT_MS: String(TIMEOUT_MS),
      PROVIDER_MAX_RETRIES: '2',
      // Circuits are exercised in their own spec; here they must stay closed.
      PROVIDER_CIRCUIT_THRESHOLD: '1000',
    });
    sims = simulatorsOf(gw);
    ies = gw.app.get(IesClient);
    squad = gw.app.get(SquadClient);
    mono = gw.app.get(MonoClient);
  });
  afterAll(() => gw.close());
  beforeEach(() => sims.reset());

  it('starts a simulator for every provider without a base URL', () => {
    const endpoints = gw.app.get(ProviderEndpoints);
    for (const provider of ['ies', 'squad', 'mono'] as const) {
      expect(endpoints.isSimulated(provider)).toBe(true);
      expect(endpoints.baseUrl(provider)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  describe('success paths', () => {
    it('IES: customers, policies, health, and a receipt posted once per reference', async () => {
      expect(await ies.getCustomer('CEA-100001')).toEqual({
        clientCode: 'CEA-100001',
        name: 'Adaeze Okafor',
        email: 'adaeze.okafor@example.com',
        phone: '+2348030000001',
      });
      expect(await ies.getCustomer('CEA-999999')).toBeNull();
      expect((await ies.findCustomers({ email: 'chiamaka.nwosu@example.com' })).map((c) => c.clientCode)).toEqual(['CEA-100003']);
      expect(await ies.getPolicy('POL-2026-000101')).toMatchObject({ clientCode: 'CEA-100001', premium: 15000000, currency: 'NGN' });
      expect(await ies.getPolicy('POL-0')).toBeNull();
      expect((await ies.listPolicies('CEA-100002')).map((p) => p.policyNumber).sort()).toEqual(['POL-2026-000102', 'POL-2026-000103']);
      expect(await ies.health()).toEqual({ status: 'ok' });

      const input = { reference: 'CEA-PAY-0001', clientCode: 'CEA-100001', amount: 1500000, currency: 'NGN', policyNumber: 'POL-2026-000101' };
      const first = await ies.postReceipt(input);
      expect(first.replayed).toBe(false);
      expect(first.receipt).toMatchObject({ reference: 'CEA-PAY-0001', clientCode: 'CEA-100001', amount: 1500000 });
      const again = await ies.postReceipt(input);
      expect(again).toEqual({ receipt: first.receipt, replayed: true });
      expect(await ies.getReceipt('CEA-PAY-0001')).toEqual(first.receipt);
      expect(await ies.getReceipt('CEA-PAY-0002')).toBeNull();
      expect(gw.app.get(ProviderEndpoints).simulator('ies')!.listReceipts()).toHaveLength(1);
    });

    it("IES: a refused receipt carries IES's reason and is not retried", async () => {
      const err = await failure(ies.postReceipt({ reference: 'CEA-PAY-0003', clientCode: 'CEA-000000', amount: 100, currency: 'NGN' }));
      expect(err.getStatus()).toBe(502);
      expect(err.code).toBe('PROVIDER_ERROR');
      expect(err).toMatchObject({ provider: 'ies', operation: 'receipts.post', failure: 'rejected', httpStatus: 422, providerCode: 'UNKNOWN_CLIENT_CODE' });
      expect(await sims.ies.calls({ path: '/receipts' })).toHaveLength(1);
    });

    it('Squad: initiate gives a checkout URL; verify follows the checkout; webhook signatures check out', async () => {
      const payment = await squad.initiatePayment({
        reference: 'CEA-PAY-1001',
        amount: 2500000,
        currency: 'NGN',
        email: 'ada@example.com',
        callbackUrl: 'https://app.example.com/paid',
        customerName: 'Adaeze Okafor',
      });
      expect(payment).toEqual({
        reference: 'CEA-PAY-1001',
        checkoutUrl: `${gw.app.get(ProviderEndpoints).baseUrl('squad')}/checkout/CEA-PAY-1001`,
        amount: 2500000,
        currency: 'NGN',
      });
      expect(await squad.verifyTransaction('CEA-PAY-1001')).toMatchObject({ reference: 'CEA-PAY-1001', status: 'Pending', amount: 2500000 });
      expect(await squad.verifyTransaction('CEA-PAY-UNKNOWN')).toBeNull();

      const done = await sims.squad.completeCheckout('CEA-PAY-1001', { deliver: false });
      expect(await squad.verifyTransaction('CEA-PAY-1001')).toMatchObject({ status: 'Success', gatewayRef: 'CEA-PAY-1001_1_1' });
      const hook = done.webhook!;
      expect(squad.verifyWebhookSignature(hook.body, hook.signature)).toBe(true);
      expect(squad.verifyWebhookSignature(Buffer.from(hook.body), hook.signature.toLowerCase())).toBe(true);
      expect(squad.verifyWebhookSignature(`${hook.body} `, hook.signature)).toBe(false);
      expect(squad.verifyWebhookSignature(hook.body, hook.signature.slice(0, 20))).toBe(false);
      expect(squad.verifyWebhookSignature(hook.body, `${hook.signature}00`)).toBe(false);
      expect(squad.verifyWebhookSignature(hook.body, 'z'.repeat(128))).toBe(false);
      expect(squad.verifyWebhookSignature(hook.body, undefined)).toBe(false);
      expect(squad.verifyWebhookSignature(hook.body, [hook.signature])).toBe(false);
    });

    it('Squad: the in-process simulator delivers webhooks to the gateway’s own /v1/webhooks/squad', () => {
      const sim = gw.app.get(ProviderEndpoints).simulator('squad')!;
      expect(sim.currentWebhookUrl).toBe(`${gw.url}/v1/webhooks/squad`);
    });

    it('Mono: initiate, verify, details', async () => {
      const session = await mono.initiateBvnLookup('22212345678');
      expect(session.sessionId).toEqual(expect.any(String));
      expect(session.methods.map((m) => m.method)).toContain('phone');
      expect(await mono.verifyBvnLookup(session.sessionId, 'phone')).toEqual({ message: expect.any(String) });
      const identity = await mono.getBvnDetails(session.sessionId, '123456');
      expect(identity).toMatchObject({ firstName: expect.any(String), lastName: expect.any(String), dateOfBirth: expect.any(String) });
      expect(JSON.stringify(identity)).not.toContain('22212345678');
    });
  });

  describe('fault modes reach the caller with the right code, within the timeout', () => {
    const cases = [
      { provider: 'ies', path: '/customers', call: () => ies.getCustomer('CEA-100001') },
      { provider: 'squad', path: '/transaction/initiate', call: () => squad.initiatePayment({ reference: 'R-1', amount: 10000, currency: 'NGN', email: 'a@example.com', callbackUrl: 'https://x.example/cb' }) },
      { provider: 'mono', path: '/v2/lookup/bvn/initiate', call: () => mono.initiateBvnLookup('22212345678') },
    ] as const;
    const label = { ies: 'IES', squad: 'Squad', mono: 'Mono' };

    it.each(cases)('$provider: error → 502 PROVIDER_ERROR naming the provider', async ({ provider, path, call }) => {
      await sims[provider].fault({ path, mode: 'error', status: 500 });
      const err = await failure(call());
      expect([err.getStatus(), err.code, err.provider, err.failure, err.httpStatus]).toEqual([502, 'PROVIDER_ERROR', provider, 'error', 500]);
      expect(err.message).toContain(label[provider]);
    });

    it.each(cases)('$provider: timeout → 504 PROVIDER_TIMEOUT within its timeout', async ({ provider, path, call }) => {
      await sims[provider].fault({ path, mode: 'timeout' });
      const { result: err, ms } = await timed(() => failure(call()));
      expect([err.getStatus(), err.code, err.provider, err.failure]).toEqual([504, 'PROVIDER_TIMEOUT', provider, 'timeout']);
      expect(err.message).toContain(`${label[provider]} did not answer within ${TIMEOUT_MS} ms`);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      // Not retried: the budget is spent, and the simulator saw one request.
      expect(await sims[provider].calls({ path })).toHaveLength(1);
    });

    it.each(cases)('$provider: down → 502 PROVIDER_ERROR (connection dropped)', async ({ provider, path, call }) => {
      await sims[provider].fault({ path, mode: 'down' });
      const err = await failure(call());
      expect([err.getStatus(), err.code, err.provider, err.failure, err.httpStatus]).toEqual([502, 'PROVIDER_ERROR', provider, 'error', null]);
      expect(err.message).toMatch(/could not be reached/);
    });

    it('a provider at a closed port → 502 PROVIDER_ERROR (connection refused)', async () => {
      const closed = await startGateway({ SQUAD_BASE_URL: `http://127.0.0.1:${await closedPort()}`, SQUAD_TIMEOUT_MS: String(TIMEOUT_MS), PROVIDER_MAX_RETRIES: '0' });
      try {
        const err = await failure(closed.app.get(SquadClient).verifyTransaction('X'));
        expect([err.getStatus(), err.code, err.provider]).toEqual([502, 'PROVIDER_ERROR', 'squad']);
        expect(err.message).toContain('connection refused');
        expect(closed.app.get(ProviderEndpoints).isSimulated('squad')).toBe(false);
      } finally {
        await closed.close();
      }
    });
  });

  describe('retries only where repeating is safe', () => {
    it('reads are retried after a 5xx and after a dropped connection, then succeed', async () => {
      await sims.ies.fault({ path: '/customers/', mode: 'error', status: 503, count: 1 });
      await sims.ies.fault({ path: '/customers/', mode: 'down', count: 1 });
      expect(await ies.getCustomer('CEA-100002')).toMatchObject({ clientCode: 'CEA-100002' });
      expect((await sims.ies.calls({ path: '/customers/' })).map((c) => c.fault)).toEqual(['error', 'down', null]);

      await sims.squad.fault({ path: '/transaction/verify/', mode: 'error', status: 502, count: 1 });
      expect(await squad.verifyTransaction('NOPE')).toBeNull();
      expect(await sims.squad.calls({ path: '/transaction/verify/' })).toHaveLength(2);
    });

    it('a read failing every time is tried 1 + PROVIDER_MAX_RETRIES times', async () => {
      await sims.ies.fault({ path: '/policies', mode: 'error', status: 500 });
      const err = await failure(ies.listPolicies('CEA-100001'));
      expect(err.code).toBe('PROVIDER_ERROR');
      expect(await sims.ies.calls({ path: '/policies' })).toHaveLength(3);
    });

    it('receipt posting is retried (IES de-duplicates on the reference): one receipt in the end', async () => {
      await sims.ies.fault({ method: 'POST', path: '/receipts', mode: 'error', status: 503, count: 2 });
      const posted = await ies.postReceipt({ reference: 'CEA-PAY-2001', clientCode: 'CEA-100002', amount: 4500000, currency: 'NGN' });
      expect(posted.replayed).toBe(false);
      expect((await sims.ies.calls({ method: 'POST', path: '/receipts' })).map((c) => c.status)).toEqual([503, 503, 201]);
      expect(gw.app.get(ProviderEndpoints).simulator('ies')!.listReceipts()).toHaveLength(1);
    });

    it('Squad initiate and every Mono step are never repeated', async () => {
      await sims.squad.fault({ path: '/transaction/initiate', mode: 'error', status: 503, count: 1 });
      await failure(squad.initiatePayment({ reference: 'R-2', amount: 10000, currency: 'NGN', email: 'a@example.com', callbackUrl: 'https://x.example/cb' }));
      expect(await sims.squad.calls({ path: '/transaction/initiate' })).toHaveLength(1);

      await sims.squad.fault({ path: '/transaction/initiate', mode: 'down', count: 1 });
      await failure(squad.initiatePayment({ reference: 'R-3', amount: 10000, currency: 'NGN', email: 'a@example.com', callbackUrl: 'https://x.example/cb' }));
      expect(await sims.squad.calls({ path: '/transaction/initiate' })).toHaveLength(2);

      for (const path of ['/v2/lookup/bvn/initiate', '/v2/lookup/bvn/verify', '/v2/lookup/bvn/details']) {
        await sims.mono.fault({ path, mode: 'error', status: 503, count: 1 });
      }
      await failure(mono.initiateBvnLookup('22212345678'));
      await failure(mono.verifyBvnLookup('some-session', 'phone'));
      await failure(mono.getBvnDetails('some-session', '123456'));
      expect((await sims.mono.calls()).map((c) => c.path)).toEqual([
        '/v2/lookup/bvn/initiate',
        '/v2/lookup/bvn/verify',
        '/v2/lookup/bvn/details',
      ]);
    });

    it('a 4xx refusal is an answer, not a reason to retry', async () => {
      await sims.ies.fault({ path: '/customers/', mode: 'error', status: 401 });
      const err = await failure(ies.getCustomer('CEA-100001'));
      expect([err.failure, err.httpStatus]).toEqual(['rejected', 401]);
      expect(await sims.ies.calls({ path: '/customers/' })).toHaveLength(1);
    });

    it('an answer of the wrong shape is a provider error, not a crash', async () => {
      // 200 with a body the client cannot read: the simulator's fault body for status 200.
      await sims.squad.fault({ path: '/transaction/verify/', mode: 'error', status: 200 });
      const err = await failure(squad.verifyTransaction('X'));
      expect([err.getStatus(), err.code, err.failure]).toEqual([502, 'PROVIDER_ERROR', 'error']);
      expect(err.message).toContain('cannot read');
    });
  });
});

describe('provider circuit breaker', () => {
  let gw: TestGateway;
  let sims: Simulators;

  beforeAll(async () => {
    gw = await startGateway({
      PROVIDER_CIRCUIT_THRESHOLD: '3',
      PROVIDER_CIRCUIT_HALF_OPEN_MS: '1000',
      PROVIDER_MAX_RETRIES: '0',
    });
    sims = simulatorsOf(gw);
  });
  afterAll(() => gw.close());

  it('opens after consecutive failures (503 without calling), then closes after a good trial call', async () => {
    const squad = gw.app.get(SquadClient);
    await sims.squad.fault({ path: '/transaction/verify/', mode: 'error', status: 500 });
    for (let i = 0; i < 3; i++) expect((await failure(squad.verifyTransaction('X'))).code).toBe('PROVIDER_ERROR');

    const open = await failure(squad.verifyTransaction('X'));
    expect([open.getStatus(), open.code, open.provider, open.failure]).toEqual([503, 'PROVIDER_UNAVAILABLE', 'squad', 'unavailable']);
    expect(open.message).toContain('Squad is unavailable');
    expect(Number(open.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(await sims.squad.calls()).toHaveLength(3); // the refused call never left the gateway

    // Other providers have their own circuits.
    expect(await gw.app.get(IesClient).getCustomer('CEA-100001')).not.toBeNull();

    // Squad recovers; after the half-open delay one trial call goes through and closes the circuit.
    await sims.squad.reset();
    await sleep(1200);
    expect(await squad.verifyTransaction('X')).toBeNull();
    expect(await squad.verifyTransaction('Y')).toBeNull();
    expect(await sims.squad.calls()).toHaveLength(2);
  });

  it('a failed trial call opens the circuit again', async () => {
    const mono = gw.app.get(MonoClient);
    await sims.mono.fault({ path: '/v2', mode: 'down' });
    for (let i = 0; i < 3; i++) await failure(mono.initiateBvnLookup('22212345678'));
    expect((await failure(mono.initiateBvnLookup('22212345678'))).code).toBe('PROVIDER_UNAVAILABLE');
    await sleep(1200);
    expect((await failure(mono.initiateBvnLookup('22212345678'))).code).toBe('PROVIDER_ERROR'); // the trial
    expect((await failure(mono.initiateBvnLookup('22212345678'))).code).toBe('PROVIDER_UNAVAILABLE');
    expect(await sims.mono.calls()).toHaveLength(4);
  });
});
