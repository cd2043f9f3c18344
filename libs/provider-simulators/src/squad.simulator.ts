import { createHmac, randomBytes } from 'node:crypto';
import { sameText } from './ies.simulator';
import { SimRequest, SimResponse, SimulatorServer } from './simulator-server';

export type SquadTransactionStatus = 'Pending' | 'Success' | 'Failed' | 'Abandoned';

export interface SquadTransaction {
  transaction_ref: string;
  amount: number;
  currency: string;
  email: string;
  customer_name: string | null;
  callback_url: string | null;
  metadata: unknown;
  status: SquadTransactionStatus;
  gateway_ref: string;
  created_at: string;
}

/** A webhook the simulator sent (or prepared, when asked not to deliver). */
export interface SquadWebhookDelivery {
  url: string | null;
  /** The exact bytes signed and sent. */
  body: string;
  /** Header `x-squad-encrypted-body`: uppercase hex HMAC-SHA512 of `body` with the secret key. */
  signature: string;
  delivered: boolean;
  status: number | null;
  error: string | null;
  time: string;
}

export interface SquadSimulatorOptions {
  secretKey: string;
  /** Where `charge_successful` webhooks go when a checkout completes (changeable at run time). */
  webhookUrl?: string;
}

/** Squad signs webhook bodies this way; the gateway verifies the same. */
export function signSquadBody(rawBody: string | Buffer, secretKey: string): string {
  return createHmac('sha512', secretKey).update(rawBody).digest('hex').toUpperCase();
}

const MERCHANT = { merchant_name: 'Capital Express Assurance', merchant_id: 'SBSIMCEA01', merchant_email: 'payments@capitalexpressassurance.com' };

/**
 * Squad (squadco.com) payments, as far as the gateway uses it:
 *
 * - `POST /transaction/initiate` (`Authorization: Bearer <secret key>`) with `amount` in kobo,
 *   `email`, `currency`, `initiate_type: "inline"`, `transaction_ref`, `callback_url`,
 *   optional `customer_name`, `metadata` → 200 `{status, success, message, data: {checkout_url,
 *   transaction_ref, transaction_amount, ...}}`; a reused `transaction_ref` → 400.
 * - `GET /transaction/verify/:ref` → 200 with `data.transaction_status` Success | Failed |
 *   Abandoned | Pending; an unknown ref → 400 "Transaction not found".
 * - The checkout page `GET /checkout/:ref` (a customer's browser; no key) with Pay / Cancel.
 * - Webhook: when a checkout completes successfully Squad POSTs `{"Event": "charge_successful",
 *   "TransactionRef", "Body": {amount, transaction_ref, gateway_ref, transaction_status, email,
 *   merchant_id, currency, transaction_type, merchant_amount, created_at, meta, ...}}` to the
 *   merchant's webhook URL, signed in header `x-squad-encrypted-body`.
 *
 * Control API beyond the shared one:
 * - `POST /__control/checkouts/:ref/complete` `{outcome?: "success"|"failed"|"abandoned",
 *   webhookUrl?, deliver?: boolean}` completes a checkout as the customer would and, on
 *   success, sends the signed webhook (deliver: false only prepares it). Answers the
 *   transaction and the webhook (body, signature, delivery status).
 * - `GET /__control/webhooks` lists the webhooks sent; `POST /__control/config {webhookUrl}`.
 */
export class SquadSimulator extends SimulatorServer {
  readonly name = 'squad';
  private transactions = new Map<string, SquadTransaction>();
  private webhooks: SquadWebhookDelivery[] = [];
  private webhookUrl: string | null;

  constructor(private readonly options: SquadSimulatorOptions) {
    super();
    this.webhookUrl = options.webhookUrl ?? null;
    this.route('POST', '/transaction/initiate', (req) => this.initiate(req));
    this.route('GET', '/transaction/verify/:ref', (req) => this.verify(req));
    this.route('GET', '/checkout/:ref', (req) => this.checkoutPage(req), { open: true });
    this.route('POST', '/checkout/:ref/complete', (req) => this.checkoutSubmit(req), { open: true });
    this.internal('POST', '/__control/checkouts/:ref/complete', (req) => this.controlComplete(req));
    this.internal('GET', '/__control/webhooks', () => ({ status: 200, body: { webhooks: this.webhooks } }));
    this.internal('POST', '/__control/config', (req) => {
      const url = (req.body as { webhookUrl?: unknown } | undefined)?.webhookUrl;
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url))) {
        return { status: 400, body: { error: { code: 'INVALID_CONFIG', message: 'webhookUrl must be an http(s) URL or null' } } };
      }
      this.webhookUrl = url;
      return { status: 200, body: { webhookUrl: this.webhookUrl } };
    });
  }

  /** Where checkout completions deliver webhooks from now on (null: nowhere). */
  setWebhookUrl(url: string | null): void {
    this.webhookUrl = url;
  }

  get currentWebhookUrl(): string | null {
    return this.webhookUrl;
  }

  getTransaction(ref: string): SquadTransaction | undefined {
    return this.transactions.get(ref);
  }

  /**
   * Completes a pending checkout as the paying customer would. On success the signed
   * `charge_successful` webhook is sent (unless `deliver` is false).
   */
  async completeCheckout(
    ref: string,
    options: { outcome?: 'success' | 'failed' | 'abandoned'; webhookUrl?: string; deliver?: boolean } = {},
  ): Promise<{ transaction: SquadTransaction; webhook: SquadWebhookDelivery | null } | undefined> {
    const tx = this.transactions.get(ref);
    if (!tx) return undefined;
    const outcome = options.outcome ?? 'success';
    if (tx.status === 'Pending') {
      tx.status = outcome === 'success' ? 'Success' : outcome === 'failed' ? 'Failed' : 'Abandoned';
    }
    if (tx.status !== 'Success' || outcome !== 'success') return { transaction: tx, webhook: null };
    const webhook = await this.sendWebhook(tx, options.webhookUrl ?? this.webhookUrl, options.deliver ?? true);
    return { transaction: tx, webhook };
  }

  protected documentation(): Record<string, unknown> {
    return {
      provider: 'Squad payments (simulated)',
      auth: 'Authorization: Bearer <secret key>',
      routes: [
        'POST /transaction/initiate {amount (kobo), email, currency, initiate_type, transaction_ref, callback_url, customer_name?, metadata?}',
        'GET /transaction/verify/:ref',
        'GET /checkout/:ref (customer checkout page)',
      ],
      webhook: 'charge_successful, signed in x-squad-encrypted-body (uppercase hex HMAC-SHA512 of the raw body with the secret key)',
      webhookUrl: this.webhookUrl,
      extraControl: {
        'POST /__control/checkouts/:ref/complete': '{"outcome"?: "success"|"failed"|"abandoned", "webhookUrl"?, "deliver"?: boolean}',
        'GET /__control/webhooks': 'webhooks sent',
        'POST /__control/config': '{"webhookUrl": "http://…" | null}',
      },
    };
  }

  protected authenticate(req: SimRequest): SimResponse | undefined {
    const header = String(req.headers.authorization ?? '');
    if (header.startsWith('Bearer ') && sameText(header.slice(7), this.options.secretKey)) return undefined;
    return squadFail(401, 'Unauthorized: invalid or missing secret key');
  }

  protected override faultBody(status: number): unknown {
    return { status, success: false, message: `Simulated Squad fault (HTTP ${status})`, data: {} };
  }

  protected resetData(): void {
    this.transactions = new Map();
    this.webhooks = [];
  }

  private initiate(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    if (!Number.isInteger(body.amount) || (body.amount as number) < 100) problems.push('amount must be an integer in kobo (at least 100)');
    if (typeof body.email !== 'string' || !body.email.includes('@')) problems.push('email is required');
    if (body.currency !== 'NGN' && body.currency !== 'USD') problems.push('currency must be NGN or USD');
    if (body.initiate_type !== undefined && body.initiate_type !== 'inline') problems.push('initiate_type must be inline');
    if (body.transaction_ref !== undefined && (typeof body.transaction_ref !== 'string' || !body.transaction_ref)) {
      problems.push('transaction_ref must be a non-empty string');
    }
    if (problems.length) return squadFail(400, problems.join('; '));

    const ref = (body.transaction_ref as string | undefined) ?? `SQSIM${randomBytes(8).toString('hex').toUpperCase()}`;
    if (this.transactions.has(ref)) return squadFail(400, `Transaction reference ${ref} has already been used`);
    const tx: SquadTransaction = {
      transaction_ref: ref,
      amount: body.amount as number,
      currency: body.currency as string,
      email: body.email as string,
      customer_name: typeof body.customer_name === 'string' ? body.customer_name : null,
      callback_url: typeof body.callback_url === 'string' ? body.callback_url : null,
      metadata: body.metadata ?? null,
      status: 'Pending',
      gateway_ref: `${ref}_1_1`,
      created_at: new Date().toISOString(),
    };
    this.transactions.set(ref, tx);
    return {
      status: 200,
      body: {
        status: 200,
        success: true,
        message: 'success',
        data: {
          auth_url: null,
          access_token: null,
          merchant_info: { merchant_response: null, merchant_name: MERCHANT.merchant_name, merchant_logo: null, merchant_id: MERCHANT.merchant_id },
          currency: tx.currency,
          recurring: { frequency: null, duration: null, type: 0, plan_code: null, customer_name: null },
          is_recurring: false,
          plan_code: null,
          callback_url: tx.callback_url,
          transaction_ref: ref,
          transaction_memo: null,
          transaction_amount: tx.amount,
          authorized_channels: ['card', 'ussd', 'bank_transfer'],
          checkout_url: `${this.url}/checkout/${encodeURIComponent(ref)}`,
        },
      },
    };
  }

  private verify(req: SimRequest): SimResponse {
    const tx = this.transactions.get(req.params.ref);
    if (!tx) return squadFail(400, 'Transaction not found');
    return {
      status: 200,
      body: {
        status: 200,
        success: true,
        message: 'Success',
        data: {
          transaction_amount: tx.amount,
          transaction_ref: tx.transaction_ref,
          email: tx.email,
          merchant_id: MERCHANT.merchant_id,
          merchant_amount: merchantAmount(tx.amount),
          merchant_name: MERCHANT.merchant_name,
          merchant_business_name: MERCHANT.merchant_name,
          merchant_email: MERCHANT.merchant_email,
          customer_email: tx.email,
          customer_name: tx.customer_name,
          meta: tx.metadata ?? {},
          transaction_status: tx.status,
          transaction_currency_id: tx.currency,
          created_at: tx.created_at,
          transaction_type: 'Card',
          gateway_transaction_ref: tx.gateway_ref,
          is_recurring: false,
        },
      },
    };
  }

  private checkoutPage(req: SimRequest): SimResponse {
    const tx = this.transactions.get(req.params.ref);
    if (!tx) return { status: 404, body: 'Unknown checkout', headers: { 'content-type': 'text/plain; charset=utf-8' } };
    const ref = escapeHtml(tx.transaction_ref);
    const action = `/checkout/${encodeURIComponent(tx.transaction_ref)}/complete`;
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Squad checkout (simulated)</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 3em auto">
<h1>Squad checkout (simulated)</h1>
<p>Pay <strong>${tx.currency} ${(tx.amount / 100).toFixed(2)}</strong> to ${escapeHtml(MERCHANT.merchant_name)}.<br>
Reference <code>${ref}</code> · status <strong>${tx.status}</strong></p>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="success"><button>Pay</button></form>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="abandoned"><button>Cancel</button></form>
</body></html>`;
    return { status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
  }

  private async checkoutSubmit(req: SimRequest): Promise<SimResponse> {
    const outcome = (req.body as { outcome?: string } | undefined)?.outcome === 'success' ? 'success' : 'abandoned';
    const done = await this.completeCheckout(req.params.ref, { outcome });
    if (!done) return { status: 404, body: 'Unknown checkout', headers: { 'content-type': 'text/plain; charset=utf-8' } };
    const back = done.transaction.callback_url;
    if (back && /^https?:\/\//.test(back)) {
      const target = new URL(back);
      target.searchParams.set('reference', done.transaction.transaction_ref);
      return { status: 303, headers: { location: target.toString() } };
    }
    return { status: 200, body: `Payment ${done.transaction.status}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }

  private async controlComplete(req: SimRequest): Promise<SimResponse> {
    const body = (req.body ?? {}) as { outcome?: unknown; webhookUrl?: unknown; deliver?: unknown };
    if (body.outcome !== undefined && !['success', 'failed', 'abandoned'].includes(body.outcome as string)) {
      return { status: 400, body: { error: { code: 'INVALID_OUTCOME', message: 'outcome must be success, failed or abandoned' } } };
    }
    if (body.webhookUrl !== undefined && (typeof body.webhookUrl !== 'string' || !/^https?:\/\//.test(body.webhookUrl))) {
      return { status: 400, body: { error: { code: 'INVALID_WEBHOOK_URL', message: 'webhookUrl must be an http(s) URL' } } };
    }
    const done = await this.completeCheckout(req.params.ref, {
      outcome: body.outcome as 'success' | 'failed' | 'abandoned' | undefined,
      webhookUrl: body.webhookUrl as string | undefined,
      deliver: body.deliver !== false,
    });
    if (!done) return { status: 404, body: { error: { code: 'NOT_FOUND', message: `No transaction ${req.params.ref}` } } };
    return { status: 200, body: done };
  }

  private async sendWebhook(tx: SquadTransaction, url: string | null, deliver: boolean): Promise<SquadWebhookDelivery> {
    const body = JSON.stringify({
      Event: 'charge_successful',
      TransactionRef: tx.transaction_ref,
      Body: {
        amount: tx.amount,
        transaction_ref: tx.transaction_ref,
        gateway_ref: tx.gateway_ref,
        transaction_status: tx.status,
        email: tx.email,
        merchant_id: MERCHANT.merchant_id,
        currency: tx.currency,
        transaction_type: 'Card',
        merchant_amount: merchantAmount(tx.amount),
        created_at: tx.created_at,
        customer_mobile: null,
        meta: tx.metadata ?? {},
        payment_information: { payment_type: 'card', pan: '408408******4081', card_type: 'visa', token_id: null },
        is_recurring: false,
      },
    });
    const delivery: SquadWebhookDelivery = {
      url,
      body,
      signature: signSquadBody(body, this.options.secretKey),
      delivered: false,
      status: null,
      error: null,
      time: new Date().toISOString(),
    };
    this.webhooks.push(delivery);
    if (!deliver) return delivery;
    if (!url) {
      delivery.error = 'no webhook URL configured';
      return delivery;
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-squad-encrypted-body': delivery.signature },
        body,
        signal: AbortSignal.timeout(10000),
      });
      await res.arrayBuffer().catch(() => undefined);
      delivery.status = res.status;
      delivery.delivered = res.status >= 200 && res.status < 300;
    } catch (err) {
      delivery.error = (err as Error).message;
    }
    return delivery;
  }
}

/** Squad keeps its fee (1.5 %, capped at ₦2,000) and settles the rest. */
function merchantAmount(amount: number): number {
  return amount - Math.min(Math.round(amount * 0.015), 200000);
}

function squadFail(status: number, message: string): SimResponse {
  return { status, body: { status, success: false, message, data: {} } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
