import { timingSafeEqual } from 'node:crypto';
import { SimRequest, SimResponse, SimulatorServer } from './simulator-server';

/**
 * IES, the insurer's private core insurance system. It has no public documentation, so this
 * simulator *is* the reference of the API the gateway speaks to it:
 *
 * Auth: `Authorization: Bearer <IES API key>` on every route but `GET /health` and `GET /`.
 * Answers are `{"data": ...}` or `{"error": {"code", "message"}}`. Money is integer kobo.
 *
 * - `GET /health` → 200 `{"status": "ok", "time"}`.
 * - `GET /customers/:clientCode` → 200 customer | 404 `CUSTOMER_NOT_FOUND`.
 *   A customer: `{client_code, name, email, phone, created_at}`; client codes look like `CEA-100001`.
 * - `GET /customers?email=&phone=` → 200 list of matching customers.
 * - `POST /customers` `{name, email, phone?}` → 201 customer with a new client code.
 * - `GET /policies?client_code=` → 200 list; `GET /policies/:policyNumber` → 200 | 404 `POLICY_NOT_FOUND`.
 *   A policy: `{policy_number, client_code, product, status, premium, currency, start_date, end_date}`.
 * - `POST /receipts` `{reference, client_code, amount, currency, policy_number?, paid_at?, channel?, narration?}`
 *   → 201 receipt. Idempotent on `reference` (the gateway's payment reference): the same
 *   reference with the same client code, amount and currency answers 200 with the receipt
 *   already issued and header `idempotent-replayed: true`, never a second receipt; the same
 *   reference with different values → 409 `REFERENCE_CONFLICT`. Unknown client code → 422
 *   `UNKNOWN_CLIENT_CODE`; a policy that is not the customer's → 422 `POLICY_MISMATCH`.
 *   A receipt: `{receipt_number, reference, client_code, amount, currency, policy_number, paid_at, channel, narration, created_at}`.
 * - `GET /receipts/:reference` → 200 | 404 `RECEIPT_NOT_FOUND`; `GET /receipts?client_code=` → 200 list.
 */
export class IesSimulator extends SimulatorServer {
  readonly name = 'ies';
  private customers = new Map<string, IesCustomer>();
  private policies = new Map<string, IesPolicy>();
  private receipts = new Map<string, IesReceipt>();
  private customerSeq = 0;
  private receiptSeq = 0;

  constructor(private readonly options: { apiKey: string }) {
    super();
    this.resetData();
    this.route('GET', '/health', () => ({ status: 200, body: { status: 'ok', time: new Date().toISOString() } }), { open: true });
    this.route('GET', '/customers/:clientCode', (req) => this.getCustomer(req));
    this.route('GET', '/customers', (req) => this.findCustomers(req));
    this.route('POST', '/customers', (req) => this.createCustomer(req));
    this.route('GET', '/policies/:policyNumber', (req) => this.getPolicy(req));
    this.route('GET', '/policies', (req) => this.findPolicies(req));
    this.route('POST', '/receipts', (req) => this.postReceipt(req));
    this.route('GET', '/receipts/:reference', (req) => this.getReceipt(req));
    this.route('GET', '/receipts', (req) => this.findReceipts(req));
  }

  /** Receipts issued so far (tests count them to prove "posted exactly once"). */
  listReceipts(): IesReceipt[] {
    return [...this.receipts.values()];
  }

  protected documentation(): Record<string, unknown> {
    return {
      provider: 'IES core insurance system (simulated)',
      auth: 'Authorization: Bearer <IES API key> (not on GET /health)',
      routes: [
        'GET /health',
        'GET /customers/:clientCode',
        'GET /customers?email=&phone=',
        'POST /customers {name, email, phone?}',
        'GET /policies/:policyNumber',
        'GET /policies?client_code=',
        'POST /receipts {reference, client_code, amount, currency, policy_number?, paid_at?, channel?, narration?} (idempotent on reference)',
        'GET /receipts/:reference',
        'GET /receipts?client_code=',
      ],
      fixtures: { customers: [...this.customers.keys()], policies: [...this.policies.keys()] },
    };
  }

  protected authenticate(req: SimRequest): SimResponse | undefined {
    const header = String(req.headers.authorization ?? '');
    if (header.startsWith('Bearer ') && sameText(header.slice(7), this.options.apiKey)) return undefined;
    return fail(401, 'UNAUTHORIZED', 'A valid Authorization: Bearer <api key> header is required');
  }

  protected resetData(): void {
    this.customers = new Map(FIXTURE_CUSTOMERS.map((c) => [c.client_code, { ...c }]));
    this.policies = new Map(FIXTURE_POLICIES.map((p) => [p.policy_number, { ...p }]));
    this.receipts = new Map();
    this.customerSeq = 100000 + FIXTURE_CUSTOMERS.length;
    this.receiptSeq = 0;
  }

  private getCustomer(req: SimRequest): SimResponse {
    const customer = this.customers.get(req.params.clientCode);
    return customer ? ok(customer) : fail(404, 'CUSTOMER_NOT_FOUND', `No customer with client code ${req.params.clientCode}`);
  }

  private findCustomers(req: SimRequest): SimResponse {
    const email = req.query.get('email')?.toLowerCase();
    const phone = req.query.get('phone');
    const found = [...this.customers.values()].filter(
      (c) => (!email || c.email.toLowerCase() === email) && (!phone || c.phone === phone),
    );
    return ok(found);
  }

  private createCustomer(req: SimRequest): SimResponse {
    const body = asRecord(req.body);
    if (typeof body.name !== 'string' || !body.name.trim()) return fail(400, 'VALIDATION_FAILED', 'name is required');
    if (typeof body.email !== 'string' || !body.email.includes('@')) return fail(400, 'VALIDATION_FAILED', 'email is required');
    const customer: IesCustomer = {
      client_code: `CEA-${++this.customerSeq}`,
      name: body.name.trim(),
      email: body.email,
      phone: typeof body.phone === 'string' ? body.phone : null,
      created_at: new Date().toISOString(),
    };
    this.customers.set(customer.client_code, customer);
    return ok(customer, 201);
  }

  private getPolicy(req: SimRequest): SimResponse {
    const policy = this.policies.get(req.params.policyNumber);
    return policy ? ok(policy) : fail(404, 'POLICY_NOT_FOUND', `No policy ${req.params.policyNumber}`);
  }

  private findPolicies(req: SimRequest): SimResponse {
    const clientCode = req.query.get('client_code');
    return ok([...this.policies.values()].filter((p) => !clientCode || p.client_code === clientCode));
  }

  private postReceipt(req: SimRequest): SimResponse {
    const body = asRecord(req.body);
    const problems: string[] = [];
    if (typeof body.reference !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(body.reference)) {
      problems.push('reference must be 1..100 letters, digits, dots, dashes or underscores');
    }
    if (typeof body.client_code !== 'string' || !body.client_code) problems.push('client_code is required');
    if (!Number.isInteger(body.amount) || (body.amount as number) <= 0) problems.push('amount must be a positive integer (kobo)');
    if (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) problems.push('currency must be ISO 4217 (e.g. NGN)');
    if (body.policy_number !== undefined && body.policy_number !== null && typeof body.policy_number !== 'string') {
      problems.push('policy_number must be a string');
    }
    if (problems.length) return fail(400, 'VALIDATION_FAILED', problems.join('; '));

    const reference = body.reference as string;
    const existing = this.receipts.get(reference);
    if (existing) {
      const same =
        existing.client_code === body.client_code && existing.amount === body.amount && existing.currency === body.currency;
      if (!same) {
        return fail(409, 'REFERENCE_CONFLICT', `Reference ${reference} already has receipt ${existing.receipt_number} with other values`);
      }
      return { status: 200, body: { data: existing }, headers: { 'idempotent-replayed': 'true' } };
    }
    const clientCode = body.client_code as string;
    if (!this.customers.has(clientCode)) return fail(422, 'UNKNOWN_CLIENT_CODE', `No customer with client code ${clientCode}`);
    const policyNumber = (body.policy_number as string | undefined) ?? null;
    if (policyNumber && this.policies.get(policyNumber)?.client_code !== clientCode) {
      return fail(422, 'POLICY_MISMATCH', `Policy ${policyNumber} does not belong to ${clientCode}`);
    }
    const now = new Date().toISOString();
    const receipt: IesReceipt = {
      receipt_number: `RCT-${String(++this.receiptSeq).padStart(6, '0')}`,
      reference,
      client_code: clientCode,
      amount: body.amount as number,
      currency: body.currency as string,
      policy_number: policyNumber,
      paid_at: typeof body.paid_at === 'string' ? body.paid_at : now,
      channel: typeof body.channel === 'string' ? body.channel : null,
      narration: typeof body.narration === 'string' ? body.narration : null,
      created_at: now,
    };
    this.receipts.set(reference, receipt);
    return ok(receipt, 201);
  }

  private getReceipt(req: SimRequest): SimResponse {
    const receipt = this.receipts.get(req.params.reference);
    return receipt ? ok(receipt) : fail(404, 'RECEIPT_NOT_FOUND', `No receipt for reference ${req.params.reference}`);
  }

  private findReceipts(req: SimRequest): SimResponse {
    const clientCode = req.query.get('client_code');
    return ok([...this.receipts.values()].filter((r) => !clientCode || r.client_code === clientCode));
  }
}

export interface IesCustomer {
  client_code: string;
  name: string;
  email: string;
  phone: string | null;
  created_at: string;
}

export interface IesPolicy {
  policy_number: string;
  client_code: string;
  product: string;
  status: 'active' | 'lapsed' | 'cancelled';
  premium: number;
  currency: string;
  start_date: string;
  end_date: string;
}

export interface IesReceipt {
  receipt_number: string;
  reference: string;
  client_code: string;
  amount: number;
  currency: string;
  policy_number: string | null;
  paid_at: string;
  channel: string | null;
  narration: string | null;
  created_at: string;
}

/** Customers and policies every IES simulator starts with (and returns to on reset). */
export const FIXTURE_CUSTOMERS: readonly IesCustomer[] = [
  { client_code: 'CEA-100001', name: 'Adaeze Okafor', email: 'adaeze.okafor@example.com', phone: '+2348030000001', created_at: '2025-01-15T09:00:00.000Z' },
  { client_code: 'CEA-100002', name: 'Babatunde Adeyemi', email: 'babatunde.adeyemi@example.com', phone: '+2348030000002', created_at: '2025-03-02T10:30:00.000Z' },
  { client_code: 'CEA-100003', name: 'Chiamaka Nwosu', email: 'chiamaka.nwosu@example.com', phone: null, created_at: '2025-06-20T14:15:00.000Z' },
];

export const FIXTURE_POLICIES: readonly IesPolicy[] = [
  { policy_number: 'POL-2026-000101', client_code: 'CEA-100001', product: 'motor-comprehensive', status: 'active', premium: 15000000, currency: 'NGN', start_date: '2026-01-01', end_date: '2026-12-31' },
  { policy_number: 'POL-2026-000102', client_code: 'CEA-100002', product: 'term-life', status: 'active', premium: 4500000, currency: 'NGN', start_date: '2026-02-01', end_date: '2027-01-31' },
  { policy_number: 'POL-2026-000103', client_code: 'CEA-100002', product: 'home-contents', status: 'lapsed', premium: 2500000, currency: 'NGN', start_date: '2025-02-01', end_date: '2026-01-31' },
];

function ok(data: unknown, status = 200): SimResponse {
  return { status, body: { data } };
}

function fail(status: number, code: string, message: string): SimResponse {
  return { status, body: { error: { code, message } } };
}

function asRecord(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
