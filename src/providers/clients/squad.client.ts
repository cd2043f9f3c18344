import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ProviderHttp } from '../provider-http.service';
import { ProviderCredentials } from '../provider-endpoints.service';

export type SquadTransactionStatus = 'Success' | 'Failed' | 'Abandoned' | 'Pending';

export interface SquadPaymentInput {
  /** The gateway's payment reference, sent as Squad's `transaction_ref` (unique at Squad). */
  reference: string;
  /** Kobo. */
  amount: number;
  currency: 'NGN' | 'USD';
  email: string;
  /** Where Squad sends the customer's browser after the checkout. */
  callbackUrl: string;
  customerName?: string;
  metadata?: Record<string, unknown>;
}

export interface SquadPayment {
  reference: string;
  checkoutUrl: string;
  amount: number;
  currency: string;
}

export interface SquadTransaction {
  reference: string;
  status: SquadTransactionStatus;
  /** Kobo. */
  amount: number;
  currency: string;
  email: string;
  gatewayRef: string | null;
  transactionType: string | null;
  createdAt: string | null;
}

interface WireInitiate {
  data: { checkout_url: string; transaction_ref: string; transaction_amount: number; currency: string };
}
interface WireVerify {
  data: {
    transaction_ref: string;
    transaction_status: SquadTransactionStatus;
    transaction_amount: number;
    transaction_currency_id: string;
    email: string;
    gateway_transaction_ref?: string;
    transaction_type?: string;
    created_at?: string;
  };
}

const STATUSES: readonly string[] = ['Success', 'Failed', 'Abandoned', 'Pending'];

/** Squad payments: start a checkout, ask how it went, check a webhook's signature. */
@Injectable()
export class SquadClient {
  constructor(
    private readonly http: ProviderHttp,
    private readonly credentials: ProviderCredentials,
  ) {}

  /**
   * Starts a payment and answers the checkout URL to send the customer to. Not retried:
   * Squad refuses a reused `transaction_ref`, so a blind repeat could not tell "done" from
   * "refused"; after a failure, verify the reference before starting another.
   */
  async initiatePayment(input: SquadPaymentInput): Promise<SquadPayment> {
    const res = await this.http.request<WireInitiate>('squad', {
      operation: 'transaction.initiate',
      method: 'POST',
      path: '/transaction/initiate',
      body: {
        amount: input.amount,
        email: input.email,
        currency: input.currency,
        initiate_type: 'inline',
        transaction_ref: input.reference,
        callback_url: input.callbackUrl,
        customer_name: input.customerName,
        metadata: input.metadata,
        pass_charge: false,
      },
      idempotent: false,
      validate: (body) => typeof (body as Partial<WireInitiate> | null)?.data?.checkout_url === 'string',
    });
    const data = res.body.data;
    return {
      reference: data.transaction_ref ?? input.reference,
      checkoutUrl: data.checkout_url,
      amount: data.transaction_amount ?? input.amount,
      currency: data.currency ?? input.currency,
    };
  }

  /** How a payment stands at Squad, or null when Squad does not know the reference (its 400). */
  async verifyTransaction(reference: string): Promise<SquadTransaction | null> {
    const res = await this.http.request<WireVerify>('squad', {
      operation: 'transaction.verify',
      method: 'GET',
      path: `/transaction/verify/${encodeURIComponent(reference)}`,
      idempotent: true,
      expectedStatuses: [400, 404],
      validate: (body, status) => {
        if (status !== 200) return true;
        const data = (body as Partial<WireVerify> | null)?.data;
        return !!data && STATUSES.includes(data.transaction_status) && Number.isInteger(data.transaction_amount);
      },
    });
    if (res.status !== 200) return null;
    const d = res.body.data;
    return {
      reference: d.transaction_ref,
      status: d.transaction_status,
      amount: d.transaction_amount,
      currency: d.transaction_currency_id,
      email: d.email,
      gatewayRef: d.gateway_transaction_ref ?? null,
      transactionType: d.transaction_type ?? null,
      createdAt: d.created_at ?? null,
    };
  }

  /**
   * Whether `signature` (header `x-squad-encrypted-body`) is Squad's signature of these exact
   * bytes: uppercase hex HMAC-SHA512 with the secret key. Constant time; any header length or
   * case is safe to pass.
   */
  verifyWebhookSignature(rawBody: Buffer | string, signature: string | string[] | undefined): boolean {
    if (typeof signature !== 'string') return false;
    const expected = createHmac('sha512', this.credentials.secret('squad')).update(rawBody).digest();
    const presented = /^[0-9a-fA-F]{128}$/.test(signature.trim()) ? Buffer.from(signature.trim(), 'hex') : Buffer.alloc(0);
    // Compare fixed-length buffers so a wrong length costs the same as a wrong value.
    const padded = Buffer.alloc(expected.length);
    presented.copy(padded);
    return timingSafeEqual(padded, expected) && presented.length === expected.length;
  }
}
