import { Injectable } from '@nestjs/common';
import { ProviderHttp } from '../provider-http.service';

export interface IesCustomer {
  clientCode: string;
  name: string;
  email: string;
  phone: string | null;
}

export interface IesPolicy {
  policyNumber: string;
  clientCode: string;
  product: string;
  status: string;
  /** Kobo. */
  premium: number;
  currency: string;
  startDate: string;
  endDate: string;
}

export interface IesReceiptInput {
  /** The gateway's payment reference: IES issues at most one receipt per reference. */
  reference: string;
  clientCode: string;
  /** Kobo. */
  amount: number;
  currency: string;
  policyNumber?: string | null;
  paidAt?: Date;
  channel?: string;
  narration?: string;
}

export interface IesReceipt {
  receiptNumber: string;
  reference: string;
  clientCode: string;
  amount: number;
  currency: string;
  policyNumber: string | null;
  paidAt: string;
  createdAt: string;
}

export interface IesPostedReceipt {
  receipt: IesReceipt;
  /** True when IES already had a receipt for this reference and answered it again. */
  replayed: boolean;
}

interface WireCustomer {
  client_code: string;
  name: string;
  email: string;
  phone: string | null;
}
interface WirePolicy {
  policy_number: string;
  client_code: string;
  product: string;
  status: string;
  premium: number;
  currency: string;
  start_date: string;
  end_date: string;
}
interface WireReceipt {
  receipt_number: string;
  reference: string;
  client_code: string;
  amount: number;
  currency: string;
  policy_number: string | null;
  paid_at: string;
  created_at: string;
}

/**
 * IES, the core insurance system (API documented in libs/provider-simulators/src/ies.simulator.ts).
 * Failures reject with ProviderException; `postReceipt` refusals carry IES's code in
 * `providerCode` (REFERENCE_CONFLICT 409, UNKNOWN_CLIENT_CODE / POLICY_MISMATCH 422).
 */
@Injectable()
export class IesClient {
  constructor(private readonly http: ProviderHttp) {}

  /** The customer with this IES client code, or null when IES has none. */
  async getCustomer(clientCode: string): Promise<IesCustomer | null> {
    const res = await this.http.request<{ data: WireCustomer }>('ies', {
      operation: 'customers.get',
      method: 'GET',
      path: `/customers/${encodeURIComponent(clientCode)}`,
      idempotent: true,
      expectedStatuses: [404],
      validate: (body, status) => status === 404 || isCustomer(dataOf(body)),
    });
    return res.status === 404 ? null : toCustomer(res.body.data);
  }

  /** Customers matching an email and/or phone number (the values never reach the call log). */
  async findCustomers(query: { email?: string; phone?: string }): Promise<IesCustomer[]> {
    const res = await this.http.request<{ data: WireCustomer[] }>('ies', {
      operation: 'customers.find',
      method: 'GET',
      path: '/customers',
      query: { email: query.email, phone: query.phone },
      idempotent: true,
      validate: (body) => isListOf(dataOf(body), isCustomer),
    });
    return res.body.data.map(toCustomer);
  }

  /** The policy with this number, or null when IES has none. */
  async getPolicy(policyNumber: string): Promise<IesPolicy | null> {
    const res = await this.http.request<{ data: WirePolicy }>('ies', {
      operation: 'policies.get',
      method: 'GET',
      path: `/policies/${encodeURIComponent(policyNumber)}`,
      idempotent: true,
      expectedStatuses: [404],
      validate: (body, status) => status === 404 || isPolicy(dataOf(body)),
    });
    return res.status === 404 ? null : toPolicy(res.body.data);
  }

  async listPolicies(clientCode: string): Promise<IesPolicy[]> {
    const res = await this.http.request<{ data: WirePolicy[] }>('ies', {
      operation: 'policies.list',
      method: 'GET',
      path: '/policies',
      query: { client_code: clientCode },
      idempotent: true,
      validate: (body) => isListOf(dataOf(body), isPolicy),
    });
    return res.body.data.map(toPolicy);
  }

  /**
   * Posts a receipt against a client code. IES de-duplicates on `reference`, so this is safe
   * to repeat and is retried: the same reference never yields a second receipt.
   */
  async postReceipt(input: IesReceiptInput): Promise<IesPostedReceipt> {
    const res = await this.http.request<{ data: WireReceipt }>('ies', {
      operation: 'receipts.post',
      method: 'POST',
      path: '/receipts',
      body: {
        reference: input.reference,
        client_code: input.clientCode,
        amount: input.amount,
        currency: input.currency,
        policy_number: input.policyNumber ?? null,
        paid_at: (input.paidAt ?? new Date()).toISOString(),
        channel: input.channel,
        narration: input.narration,
      },
      idempotent: true,
      validate: (body) => isReceipt(dataOf(body)),
    });
    return { receipt: toReceipt(res.body.data), replayed: res.status === 200 };
  }

  /** The receipt issued for a payment reference, or null when there is none. */
  async getReceipt(reference: string): Promise<IesReceipt | null> {
    const res = await this.http.request<{ data: WireReceipt }>('ies', {
      operation: 'receipts.get',
      method: 'GET',
      path: `/receipts/${encodeURIComponent(reference)}`,
      idempotent: true,
      expectedStatuses: [404],
      validate: (body, status) => status === 404 || isReceipt(dataOf(body)),
    });
    return res.status === 404 ? null : toReceipt(res.body.data);
  }

  /** IES's own health route (the status page pings it too). */
  async health(): Promise<{ status: string }> {
    const res = await this.http.request<{ status: string }>('ies', {
      operation: 'health',
      method: 'GET',
      path: '/health',
      idempotent: true,
      validate: (body) => typeof (body as { status?: unknown } | null)?.status === 'string',
    });
    return { status: String(res.body.status) };
  }
}

function toCustomer(c: WireCustomer): IesCustomer {
  return { clientCode: c.client_code, name: c.name, email: c.email, phone: c.phone ?? null };
}

function toPolicy(p: WirePolicy): IesPolicy {
  return {
    policyNumber: p.policy_number,
    clientCode: p.client_code,
    product: p.product,
    status: p.status,
    premium: p.premium,
    currency: p.currency,
    startDate: p.start_date,
    endDate: p.end_date,
  };
}

function toReceipt(r: WireReceipt): IesReceipt {
  return {
    receiptNumber: r.receipt_number,
    reference: r.reference,
    clientCode: r.client_code,
    amount: r.amount,
    currency: r.currency,
    policyNumber: r.policy_number ?? null,
    paidAt: r.paid_at,
    createdAt: r.created_at,
  };
}

const dataOf = (body: unknown): unknown => (body as { data?: unknown } | null)?.data;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isListOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.every(item);
const isCustomer = (v: unknown) => isObject(v) && typeof v.client_code === 'string';
const isPolicy = (v: unknown) => isObject(v) && typeof v.policy_number === 'string' && typeof v.client_code === 'string';
const isReceipt = (v: unknown) => isObject(v) && typeof v.receipt_number === 'string' && typeof v.reference === 'string';
