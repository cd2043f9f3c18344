import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  closeSimulators,
  MONO_UNKNOWN_BVN,
  SimulatorControl,
  SimulatorSet,
  SquadSimulatorControl,
  startSimulators,
} from '@app/provider-simulators';

/** Response bodies as the loosely typed JSON the assertions look into. */
const json = (res: Response): Promise<any> => res.json();

const KEYS = { ies: 'ies-test-key', squad: 'squad-test-secret', mono: 'mono-test-secret' };

/** The simulators on their own, over real HTTP: provider APIs, faults and the control API. */
describe('provider simulators', () => {
  let sims: SimulatorSet;
  let ies: SimulatorControl;
  let squad: SquadSimulatorControl;
  let mono: SimulatorControl;

  beforeAll(async () => {
    sims = await startSimulators({
      ies: { apiKey: KEYS.ies },
      squad: { secretKey: KEYS.squad },
      mono: { secretKey: KEYS.mono },
    });
    ies = new SimulatorControl(sims.ies.url);
    squad = new SquadSimulatorControl(sims.squad.url);
    mono = new SimulatorControl(sims.mono.url);
  });
  afterAll(() => closeSimulators(sims));
  beforeEach(async () => {
    await Promise.all([ies.reset(), squad.reset(), mono.reset()]);
  });

  const iesCall = (path: string, init: RequestInit = {}) =>
    fetch(`${sims.ies.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${KEYS.ies}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const squadCall = (path: string, init: RequestInit = {}) =>
    fetch(`${sims.squad.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${KEYS.squad}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const monoCall = (path: string, body: unknown, sessionId?: string) =>
    fetch(`${sims.mono.url}${path}`, {
      method: 'POST',
      headers: { 'mono-sec-key': KEYS.mono, 'content-type': 'application/json', ...(sessionId ? { 'x-session-id': sessionId } : {}) },
      body: JSON.stringify(body),
    });

  describe('IES', () => {
    it('answers health without a key and refuses the API without one', async () => {
      const health = await fetch(`${sims.ies.url}/health`);
      expect(health.status).toBe(200);
      expect(await json(health)).toMatchObject({ status: 'ok' });
      expect((await fetch(`${sims.ies.url}/customers/CEA-100001`)).status).toBe(401);
      expect((await fetch(`${sims.ies.url}/customers/CEA-100001`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    });

    it('looks up customers and policies by client code', async () => {
      const customer = await iesCall('/customers/CEA-100001');
      expect(customer.status).toBe(200);
      expect((await json(customer)).data).toMatchObject({ client_code: 'CEA-100001', name: 'Adaeze Okafor' });
      expect((await iesCall('/customers/CEA-999999')).status).toBe(404);
      const byEmail = await json(await iesCall('/customers?email=BABATUNDE.ADEYEMI@example.com'));
      expect(byEmail.data.map((c: { client_code: string }) => c.client_code)).toEqual(['CEA-100002']);
      const policies = await json(await iesCall('/policies?client_code=CEA-100002'));
      expect(policies.data).toHaveLength(2);
      const created = await iesCall('/customers', { method: 'POST', body: JSON.stringify({ name: 'Dayo Bello', email: 'dayo@example.com' }) });
      expect(created.status).toBe(201);
      expect((await json(created)).data.client_code).toBe('CEA-100004');
    });

    it('posts a receipt once per reference: a repeat replays it, different values conflict', async () => {
      const receipt = { reference: 'PAY-1', client_code: 'CEA-100001', amount: 1500000, currency: 'NGN', policy_number: 'POL-2026-000101' };
      const first = await iesCall('/receipts', { method: 'POST', body: JSON.stringify(receipt) });
      expect(first.status).toBe(201);
      const issued = (await json(first)).data;
      expect(issued.receipt_number).toMatch(/^RCT-\d{6}$/);

      const again = await iesCall('/receipts', { method: 'POST', body: JSON.stringify(receipt) });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(again)).data).toEqual(issued);
      expect(sims.ies.listReceipts()).toHaveLength(1);

      const conflict = await iesCall('/receipts', { method: 'POST', body: JSON.stringify({ ...receipt, amount: 1 }) });
      expect(conflict.status).toBe(409);
      const unknown = await iesCall('/receipts', { method: 'POST', body: JSON.stringify({ ...receipt, reference: 'PAY-2', client_code: 'CEA-000000' }) });
      expect(unknown.status).toBe(422);
      const mismatch = await iesCall('/receipts', { method: 'POST', body: JSON.stringify({ ...receipt, reference: 'PAY-3', policy_number: 'POL-2026-000102' }) });
      expect(mismatch.status).toBe(422);
      expect((await iesCall('/receipts/PAY-1')).status).toBe(200);
      expect((await iesCall('/receipts/PAY-2')).status).toBe(404);
    });
  });

  describe('Squad', () => {
    let receiver: Server;
    let received: Array<{ headers: Record<string, unknown>; body: string }>;
    let receiverUrl: string;

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise((r) => receiver.close(r)));
    beforeEach(() => {
      received = [];
    });

    const initiate = (ref: string, amount = 500000) =>
      squadCall('/transaction/initiate', {
        method: 'POST',
        body: JSON.stringify({ amount, email: 'ada@example.com', currency: 'NGN', initiate_type: 'inline', transaction_ref: ref, callback_url: 'https://example.com/back' }),
      });

    it('initiates a payment with a checkout URL, verifies it by ref, refuses a reused ref and unknown refs', async () => {
      const res = await initiate('REF-1');
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({ status: 200, success: true, data: { transaction_ref: 'REF-1', transaction_amount: 500000 } });
      expect(body.data.checkout_url).toBe(`${sims.squad.url}/checkout/REF-1`);
      expect((await fetch(body.data.checkout_url)).status).toBe(200);

      const verify = await json(await squadCall('/transaction/verify/REF-1'));
      expect(verify.data).toMatchObject({ transaction_ref: 'REF-1', transaction_status: 'Pending', transaction_amount: 500000 });
      expect((await initiate('REF-1')).status).toBe(400);
      const unknown = await squadCall('/transaction/verify/NOPE');
      expect(unknown.status).toBe(400);
      expect((await json(unknown)).success).toBe(false);
      expect((await fetch(`${sims.squad.url}/transaction/verify/REF-1`)).status).toBe(401);
    });

    it("completing a checkout sends charge_successful signed as Squad signs: uppercase hex HMAC-SHA512 of the raw body", async () => {
      await initiate('REF-2', 750000);
      const done = await squad.completeCheckout('REF-2', { webhookUrl: receiverUrl });
      expect(done.transaction.status).toBe('Success');
      expect(done.webhook).toMatchObject({ delivered: true, status: 200, url: receiverUrl });
      expect(received).toHaveLength(1);
      const [hook] = received;
      const expected = createHmac('sha512', KEYS.squad).update(hook.body).digest('hex').toUpperCase();
      expect(hook.headers['x-squad-encrypted-body']).toBe(expected);
      expect(JSON.parse(hook.body)).toMatchObject({
        Event: 'charge_successful',
        TransactionRef: 'REF-2',
        Body: { amount: 750000, transaction_ref: 'REF-2', gateway_ref: 'REF-2_1_1', transaction_status: 'Success', currency: 'NGN' },
      });
      const verify = await json(await squadCall('/transaction/verify/REF-2'));
      expect(verify.data.transaction_status).toBe('Success');

      // A failed checkout sends nothing; a prepared-only webhook is signed but not delivered.
      await initiate('REF-3');
      expect((await squad.completeCheckout('REF-3', { outcome: 'failed', webhookUrl: receiverUrl })).webhook).toBeNull();
      await initiate('REF-4');
      await squad.setWebhookUrl(receiverUrl);
      const prepared = await squad.completeCheckout('REF-4', { deliver: false });
      expect(prepared.webhook).toMatchObject({ delivered: false, url: receiverUrl });
      expect(received).toHaveLength(1);
      expect(await squad.webhooks()).toHaveLength(2);
    });
  });

  describe('Mono', () => {
    it('runs the three-step BVN lookup and refuses bad input', async () => {
      const start = await monoCall('/v2/lookup/bvn/initiate', { bvn: '22212345678', scope: 'identity' });
      expect(start.status).toBe(200);
      const { data } = await json(start);
      expect(data.methods.map((m: { method: string }) => m.method)).toEqual(['email', 'phone', 'phone_1', 'alternate_phone']);
      expect((await monoCall('/v2/lookup/bvn/details', { otp: '123456' }, data.session_id)).status).toBe(400);
      expect((await monoCall('/v2/lookup/bvn/verify', { method: 'phone' }, data.session_id)).status).toBe(200);
      expect((await monoCall('/v2/lookup/bvn/details', { otp: '000000' }, data.session_id)).status).toBe(400);
      const details = await monoCall('/v2/lookup/bvn/details', { otp: '123456' }, data.session_id);
      expect(details.status).toBe(200);
      expect((await json(details)).data).toMatchObject({ bvn: '22212345678', first_name: expect.any(String), dob: expect.any(String) });

      expect((await monoCall('/v2/lookup/bvn/initiate', { bvn: '123' })).status).toBe(400);
      expect((await monoCall('/v2/lookup/bvn/initiate', { bvn: MONO_UNKNOWN_BVN })).status).toBe(404);
      expect((await monoCall('/v2/lookup/bvn/verify', { method: 'phone' }, 'no-such-session')).status).toBe(404);
      const noKey = await fetch(`${sims.mono.url}/v2/lookup/bvn/initiate`, { method: 'POST', body: '{}' });
      expect(noKey.status).toBe(401);
    });
  });

  describe('control API', () => {
    it('records every request with method, path, body and time, filterable by method and path prefix', async () => {
      await iesCall('/customers/CEA-100001');
      await iesCall('/receipts', { method: 'POST', body: JSON.stringify({ reference: 'R1', client_code: 'CEA-100001', amount: 100, currency: 'NGN' }) });
      const calls = await ies.calls();
      expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['GET /customers/CEA-100001 200', 'POST /receipts 201']);
      expect(calls[1].body).toMatchObject({ reference: 'R1' });
      expect(new Date(calls[1].time).toISOString()).toBe(calls[1].time);
      expect(await ies.calls({ method: 'POST' })).toHaveLength(1);
      expect(await ies.calls({ path: '/customers' })).toHaveLength(1);
      await ies.reset();
      expect(await ies.calls()).toEqual([]);
    });

    it('error faults answer the status for `count` matching requests, then the real answer', async () => {
      await ies.fault({ method: 'GET', path: '/customers', mode: 'error', status: 503, count: 2 });
      expect((await iesCall('/customers/CEA-100001')).status).toBe(503);
      expect((await iesCall('/policies/POL-2026-000101')).status).toBe(200); // other path: untouched
      expect((await iesCall('/customers/CEA-100001', { method: 'POST', body: '{}' })).status).toBe(404); // other method
      expect((await iesCall('/customers/CEA-100001')).status).toBe(503);
      expect((await iesCall('/customers/CEA-100001')).status).toBe(200);
      const calls = await ies.calls({ path: '/customers/' });
      expect(calls.map((c) => c.fault)).toEqual(['error', null, 'error', null]);
    });

    it('a fault without count lasts until reset; "ok" lets a counted request through first', async () => {
      await squad.fault({ path: '/transaction/verify/', mode: 'ok', count: 1 });
      await squad.fault({ path: '/transaction/verify/', mode: 'error' });
      expect((await squadCall('/transaction/verify/X')).status).toBe(400); // ok: the real answer
      for (let i = 0; i < 3; i++) expect((await squadCall('/transaction/verify/X')).status).toBe(500);
      await squad.reset();
      expect((await squadCall('/transaction/verify/X')).status).toBe(400);
    });

    it('"down" drops the connection and "timeout" never answers (or answers late with delayMs)', async () => {
      await mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'down', count: 1 });
      await expect(monoCall('/v2/lookup/bvn/initiate', { bvn: '22212345678' })).rejects.toThrow();

      await mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'timeout', count: 1 });
      const hung = fetch(`${sims.mono.url}/v2/lookup/bvn/initiate`, {
        method: 'POST',
        headers: { 'mono-sec-key': KEYS.mono, 'content-type': 'application/json' },
        body: JSON.stringify({ bvn: '22212345678' }),
        signal: AbortSignal.timeout(300),
      });
      await expect(hung).rejects.toThrow(/abort|timeout/i);

      await mono.fault({ path: '/v2/lookup/bvn/initiate', mode: 'timeout', delayMs: 50, count: 1 });
      expect((await monoCall('/v2/lookup/bvn/initiate', { bvn: '22212345678' })).status).toBe(200);
      const calls = await mono.calls();
      expect(calls.map((c) => [c.fault, c.status])).toEqual([
        ['down', null],
        ['timeout', null],
        ['timeout', 200],
      ]);
    });

    it('refuses a malformed fault', async () => {
      await expect(ies.fault({ path: 'receipts', mode: 'error' })).rejects.toThrow(/400/);
      await expect(ies.fault({ path: '/receipts', mode: 'explode' as never })).rejects.toThrow(/400/);
    });
  });
});

describe('npm run simulators', () => {
  it('serves IES, Squad and Mono standalone on the SIM_*_PORT ports and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist/libs/provider-simulators/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', SIM_IES_PORT: '0', SIM_SQUAD_PORT: '0', SIM_MONO_PORT: '0', SIM_SQUAD_SECRET_KEY: 'standalone-secret' },
    });
    try {
      let out = '';
      const urls = await new Promise<Record<string, string>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URLs in: ${out}`)), 20000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = Object.fromEntries(
            [...out.matchAll(/(IES|Squad|Mono) simulator\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => [m[1], m[2]]),
          );
          if (Object.keys(found).length === 3) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      expect(out).not.toContain('standalone-secret');
      expect((await fetch(`${urls.IES}/health`)).status).toBe(200);
      const described = await json(await fetch(`${urls.Squad}/`));
      expect(described).toMatchObject({ simulator: 'squad' });
      const verify = await fetch(`${urls.Squad}/transaction/verify/NOPE`, { headers: { authorization: 'Bearer standalone-secret' } });
      expect(verify.status).toBe(400);
      const mono = new SimulatorControl(urls.Mono);
      await mono.fault({ path: '/v2', mode: 'error', status: 502 });
      const faulted = await fetch(`${urls.Mono}/v2/lookup/bvn/initiate`, {
        method: 'POST',
        headers: { 'mono-sec-key': 'sim_mono_secret_key', 'content-type': 'application/json' },
        body: '{"bvn":"22212345678"}',
      });
      expect(faulted.status).toBe(502);
      expect(await mono.calls()).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    const code = child.exitCode ?? (await new Promise((r) => child.once('exit', r)));
    expect(code).toBe(0);
  });
});
