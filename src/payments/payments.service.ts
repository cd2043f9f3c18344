import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthenticatedClient, Page, pageNewestFirst, toPage } from '@app/common';
import { AppConfig } from '../config/app-config';
import { InsuranceService } from '../insurance/insurance.service';
import { IesClient } from '../providers/clients/ies.client';
import { SquadClient, SquadTransaction } from '../providers/clients/squad.client';
import { ProviderException } from '../providers/providers.errors';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto';
import { PaymentResponse } from './dto/payment.response.dto';
import { Payment } from './payment.entity';
import {
  alreadyPosted,
  amountMismatch,
  autopostInProgress,
  invalidReference,
  missingClientCode,
  paymentNotFound,
  paymentNotVerified,
} from './payments.errors';

/** What a settlement report (verify answer or webhook) did to a payment. */
export type SettlementOutcome = 'verified' | 'already_processed' | 'amount_mismatch' | 'failed' | 'still_pending' | 'unknown_reference';

/** Raw-SQL UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver. */
function updatedRows(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as Record<string, unknown>[];
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
}

/** IES refusals that no retry can fix; an operator has to change the data first. */
const PERMANENT_IES_CODES = new Set(['UNKNOWN_CLIENT_CODE', 'POLICY_MISMATCH', 'REFERENCE_CONFLICT', 'VALIDATION_FAILED']);

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly squad: SquadClient,
    private readonly ies: IesClient,
    private readonly insurance: InsuranceService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Starts a Squad checkout. The payment row exists before Squad is asked, so a webhook can
   * never arrive for a reference we do not know; if Squad refuses or fails, the row is kept as
   * `failed` with the reason and the caller gets the provider error.
   */
  async create(dto: CreatePaymentDto, caller: AuthenticatedClient): Promise<PaymentResponse> {
    assertCallbackAllowed(dto.callbackUrl, caller);
    const { profileId, policyId, clientCode } = await this.resolveCustomer(dto);
    const repo = this.dataSource.getRepository(Payment);
    const payment = await repo.save(
      repo.create({
        reference: newReference(),
        amountKobo: dto.amount,
        currency: dto.currency,
        email: dto.email.toLowerCase(),
        customerProfileId: profileId,
        policyId,
        clientCode,
        apiClientId: caller.id,
        environment: caller.environment,
        status: 'pending',
        autopostStatus: 'not_posted',
        autopostAttempts: 0,
      }),
    );
    try {
      const checkout = await this.squad.initiatePayment({
        reference: payment.reference,
        amount: payment.amountKobo,
        currency: 'NGN',
        email: payment.email,
        callbackUrl: dto.callbackUrl ?? this.config.PAYMENT_CALLBACK_URL,
        metadata: { gateway_payment_id: payment.id },
      });
      payment.checkoutUrl = checkout.checkoutUrl;
    } catch (err) {
      // A refusal (4xx) or an open circuit means Squad started nothing: the attempt failed.
      // A timeout or 5xx is ambiguous — Squad may have created the checkout — so the payment
      // stays pending: its webhook, a verify or reconciliation settles it later.
      const definite = err instanceof ProviderException && (err.failure === 'rejected' || err.failure === 'unavailable');
      await repo.update(
        { id: payment.id },
        { status: definite ? 'failed' : 'pending', lastError: describe(err), updatedAt: new Date() },
      );
      throw err;
    }
    await repo.update({ id: payment.id }, { checkoutUrl: payment.checkoutUrl, updatedAt: new Date() });
    return PaymentResponse.from(payment);
  }

  /**
   * A payment the caller started. Another client's, or another environment's, is as unknown
   * as a typo: partners never see each other's customers.
   */
  async getForClient(reference: string, caller: AuthenticatedClient): Promise<Payment> {
    const payment = await this.dataSource
      .getRepository(Payment)
      .findOneBy({ reference, environment: caller.environment, apiClientId: caller.id });
    if (!payment) throw paymentNotFound();
    return payment;
  }

  async getByReference(reference: string): Promise<Payment> {
    const payment = await this.dataSource.getRepository(Payment).findOneBy({ reference });
    if (!payment) throw paymentNotFound();
    return payment;
  }

  /** Asks Squad how the payment stands; a settled one is marked verified and posted to IES. */
  async verify(reference: string, caller: AuthenticatedClient): Promise<PaymentResponse> {
    const payment = await this.getForClient(reference, caller);
    // A failed payment is asked again too: Squad may settle a checkout it reported failed.
    if (payment.status === 'pending' || (payment.status === 'failed' && payment.checkoutUrl)) {
      const transaction = await this.squad.verifyTransaction(reference);
      if (transaction) await this.applySettlement(reference, transaction);
    }
    return PaymentResponse.from(await this.getByReference(reference));
  }

  /**
   * Applies what Squad says of a payment, exactly once: the pending → verified transition is a
   * conditional update, so a repeated webhook or a verify racing a webhook changes nothing the
   * second time. Only the caller that made the transition posts to IES.
   */
  async applySettlement(
    reference: string,
    tx: Pick<SquadTransaction, 'status' | 'amount' | 'gatewayRef'> & { currency?: string },
  ): Promise<SettlementOutcome> {
    const payment = await this.dataSource.getRepository(Payment).findOneBy({ reference });
    if (!payment) return 'unknown_reference';
    if (payment.status === 'verified') return 'already_processed';

    if (tx.status === 'Pending') {
      await this.dataSource.query(`UPDATE payments SET squad_status = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [
        payment.id,
        tx.status,
      ]);
      return 'still_pending';
    }
    if (tx.status === 'Failed' || tx.status === 'Abandoned') {
      const rows = updatedRows(
        await this.dataSource.query(
          `UPDATE payments SET status = 'failed', squad_status = $2, squad_gateway_ref = $3, updated_at = now()
            WHERE id = $1 AND status = 'pending' RETURNING id`,
          [payment.id, tx.status, tx.gatewayRef],
        ),
      );
      return rows.length ? 'failed' : 'already_processed';
    }
    if (payment.status === 'failed' && !payment.checkoutUrl) return 'already_processed'; // Squad refused to start it
    const currencyDiffers = tx.currency !== undefined && tx.currency.toUpperCase() !== payment.currency;
    if (tx.amount !== payment.amountKobo || currencyDiffers) {
      // Settled, but not for what we asked: never post it; reconciliation reports it.
      await this.dataSource.query(
        `UPDATE payments SET squad_status = $2, squad_gateway_ref = $3, amount_mismatch_kobo = $4,
                last_error = $5, updated_at = now()
          WHERE id = $1 AND status <> 'verified'`,
        [
          payment.id,
          tx.status,
          tx.gatewayRef,
          tx.amount,
          `Squad settled ${tx.amount} ${tx.currency ?? payment.currency} (kobo); the payment is for ${payment.amountKobo} ${payment.currency}: flagged, not posted`,
        ],
      );
      this.logger.warn(`Payment ${reference}: Squad amount or currency differs; flagged, not posted`);
      return 'amount_mismatch';
    }
    // pending, or failed earlier (Squad may settle a checkout it first reported failed):
    // the one transition to verified happens once, whoever reports it first.
    const rows = updatedRows(
      await this.dataSource.query(
        `UPDATE payments SET status = 'verified', squad_status = $2, squad_gateway_ref = $3, verified_at = now(),
                amount_mismatch_kobo = NULL, last_error = NULL, next_autopost_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('pending', 'failed') RETURNING id`,
        [payment.id, tx.status, tx.gatewayRef],
      ),
    );
    if (!rows.length) return 'already_processed';
    await this.autopost(payment.id);
    return 'verified';
  }

  /**
   * Operator's retry of a failed autopost. Any number of concurrent retries post at most once:
   * only the caller that claims the payment's lease calls IES.
   */
  async retryAutopost(reference: string): Promise<{ before: Payment; after: Payment }> {
    const before = await this.getByReference(reference);
    if (before.status !== 'verified') throw paymentNotVerified(before.status);
    if (before.autopostStatus === 'posted') throw alreadyPosted(before.iesReceiptNumber);
    if (!(await this.clientCodeOf(before))) throw missingClientCode(); // no retry can succeed yet
    const ran = await this.autopost(before.id);
    const after = await this.getByReference(reference);
    if (!ran) {
      if (after.autopostStatus === 'posted') throw alreadyPosted(after.iesReceiptNumber);
      if (after.amountMismatchKobo !== null) throw amountMismatch();
      throw autopostInProgress();
    }
    return { before, after };
  }

  /** Claims the payment and posts it to IES; false when someone else holds it or it is done. */
  async autopost(paymentId: string): Promise<boolean> {
    const claimed = updatedRows(
      await this.dataSource.query(
        `UPDATE payments
            SET autopost_claimed_until = now() + make_interval(secs => $2), autopost_attempts = autopost_attempts + 1,
                updated_at = now()
          WHERE id = $1 AND status = 'verified' AND autopost_status <> 'posted' AND amount_mismatch_kobo IS NULL
            AND (autopost_claimed_until IS NULL OR autopost_claimed_until < now())
          RETURNING id`,
        [paymentId, this.leaseSeconds()],
      ),
    );
    if (!claimed.length) return false;
    await this.postClaimed(paymentId);
    return true;
  }

  /** Background worker: claims due failed autoposts (several replicas never claim the same row). */
  async retryDueAutoposts(limit = 10): Promise<number> {
    const claimed = updatedRows(
      await this.dataSource.query(
        `UPDATE payments
            SET autopost_claimed_until = now() + make_interval(secs => $3), autopost_attempts = autopost_attempts + 1,
                updated_at = now()
          WHERE id IN (
            SELECT id FROM payments
             WHERE status = 'verified' AND autopost_status <> 'posted' AND amount_mismatch_kobo IS NULL
               AND next_autopost_at IS NOT NULL AND next_autopost_at <= now()
               AND autopost_attempts < $2
               AND (autopost_claimed_until IS NULL OR autopost_claimed_until < now())
             ORDER BY next_autopost_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [limit, this.config.AUTOPOST_MAX_ATTEMPTS, this.leaseSeconds()],
      ),
    );
    for (const row of claimed) await this.postClaimed(String(row.id));
    return claimed.length;
  }

  async listForAdmin(query: ListPaymentsQueryDto): Promise<Page<PaymentResponse>> {
    const qb = this.dataSource.getRepository(Payment).createQueryBuilder('p');
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.autopostStatus) qb.andWhere('p.autopost_status = :autopost', { autopost: query.autopostStatus });
    if (query.missingClientCode === true) qb.andWhere('p.client_code IS NULL');
    if (query.missingClientCode === false) qb.andWhere('p.client_code IS NOT NULL');
    const rows = await pageNewestFirst(qb, 'p', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, PaymentResponse.from);
  }

  /** Posts a payment this process holds the lease of, and records the outcome. */
  private async postClaimed(paymentId: string): Promise<void> {
    const repo = this.dataSource.getRepository(Payment);
    const payment = await repo.findOneByOrFail({ id: paymentId });
    const clientCode = await this.clientCodeOf(payment);
    if (!clientCode) {
      await this.recordFailure(payment, 'No IES client code for this payment: set it on the customer profile (PATCH /v1/admin/customer-profiles/:id), then retry', false);
      return;
    }
    try {
      const policy = payment.policyId ? await this.insurance.findPolicy(payment.policyId) : null;
      const posted = await this.ies.postReceipt({
        reference: payment.reference,
        clientCode,
        amount: payment.amountKobo,
        currency: payment.currency,
        policyNumber: policy?.policyNumber ?? null,
        paidAt: payment.verifiedAt ?? new Date(),
        channel: 'squad',
        narration: `Premium payment ${payment.reference}`,
      });
      await repo.update(
        { id: payment.id },
        {
          autopostStatus: 'posted',
          clientCode,
          iesReceiptNumber: posted.receipt.receiptNumber,
          postedAt: new Date(),
          lastError: null,
          nextAutopostAt: null,
          autopostClaimedUntil: null,
          updatedAt: new Date(),
        },
      );
      this.logger.log(`Payment ${payment.reference} posted to IES as receipt ${posted.receipt.receiptNumber}`);
    } catch (err) {
      const provider = err instanceof ProviderException ? err : undefined;
      const permanent = provider?.failure === 'rejected' && PERMANENT_IES_CODES.has(provider.providerCode ?? '');
      // IES was not even called (its circuit is open): that is no attempt of this payment.
      const attempted = provider?.failure !== 'unavailable';
      await this.recordFailure(payment, describeIesFailure(err), !permanent, attempted);
    }
  }

  private async recordFailure(payment: Payment, error: string, retry: boolean, attempted = true): Promise<void> {
    const attempts = attempted ? payment.autopostAttempts : payment.autopostAttempts - 1;
    const due = retry && attempts < this.config.AUTOPOST_MAX_ATTEMPTS;
    const delay = Math.min(this.config.AUTOPOST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);
    await this.dataSource.getRepository(Payment).update(
      { id: payment.id },
      {
        autopostStatus: 'failed',
        autopostAttempts: attempts,
        lastError: error.slice(0, 1000),
        nextAutopostAt: due ? new Date(Date.now() + delay) : null,
        autopostClaimedUntil: null,
        updatedAt: new Date(),
      },
    );
    this.logger.warn(`Autopost of ${payment.reference} failed (attempt ${attempts}${due ? `, next in ${delay} ms` : ', no automatic retry'}): ${error}`);
  }

  private async resolveCustomer(dto: CreatePaymentDto) {
    const profile = dto.customerProfileId ? await this.insurance.findProfile(dto.customerProfileId) : null;
    if (dto.customerProfileId && !profile) throw invalidReference('customerProfileId', 'No customer profile with this id');
    const policy = dto.policyId ? await this.insurance.findPolicy(dto.policyId) : null;
    if (dto.policyId && !policy) throw invalidReference('policyId', 'No policy with this id');
    if (profile && policy?.customerProfileId && policy.customerProfileId !== profile.id) {
      throw invalidReference('policyId', 'The policy belongs to another customer profile');
    }
    const profileId = profile?.id ?? policy?.customerProfileId ?? null;
    const profileCode = profile?.iesClientCode ?? (profileId && !profile ? (await this.insurance.findProfile(profileId))?.iesClientCode : null) ?? null;
    if (dto.clientCode && profileCode && dto.clientCode !== profileCode) {
      throw invalidReference('clientCode', "The client code differs from the customer profile's IES client code");
    }
    return { profileId, policyId: policy?.id ?? null, clientCode: dto.clientCode ?? profileCode };
  }

  /** The payment's IES client code, or its profile's (it may have been set since the payment). */
  private async clientCodeOf(payment: Payment): Promise<string | null> {
    if (payment.clientCode) return payment.clientCode;
    if (!payment.customerProfileId) return null;
    return (await this.insurance.findProfile(payment.customerProfileId))?.iesClientCode ?? null;
  }

  /** The lease outlives one IES call with all its retries. */
  private leaseSeconds(): number {
    return Math.ceil((this.config.IES_TIMEOUT_MS * (this.config.PROVIDER_MAX_RETRIES + 1)) / 1000) + 30;
  }
}

/** CEA-<yyyymmdd>-<10 base32 chars>: unique, readable over the phone, no ambiguous letters. */
function newReference(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
  const bytes = randomBytes(10);
  let tail = '';
  for (const b of bytes) tail += alphabet[b % alphabet.length];
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `CEA-${day}-${tail}`;
}

/**
 * Squad sends the payer's browser to the callback URL: it must not be a way to send payers
 * anywhere. https only (http for localhost), and inside the client's allowed origins when it
 * declares any.
 */
function assertCallbackAllowed(callbackUrl: string | undefined, caller: AuthenticatedClient): void {
  if (!callbackUrl) return;
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw invalidReference('callbackUrl', 'callbackUrl is not a valid URL');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw invalidReference('callbackUrl', 'callbackUrl must be https (http only for localhost)');
  }
  if (caller.allowedOrigins.length && !caller.allowedOrigins.includes(url.origin.toLowerCase())) {
    throw invalidReference('callbackUrl', "callbackUrl must be on one of this client's allowed origins");
  }
}

/** What an operator needs to read: IES's own refusal code and message when it gave one. */
function describeIesFailure(err: unknown): string {
  if (err instanceof ProviderException && err.failure === 'rejected' && err.providerCode) {
    const said = (err.body as { error?: { message?: unknown } } | undefined)?.error?.message;
    return `IES refused the receipt: ${err.providerCode}${typeof said === 'string' ? ` (${said.slice(0, 200)})` : ''}`;
  }
  return describe(err);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

