import { Injectable, Logger } from '@nestjs/common';
import { AppException } from '@app/common';
import { SquadClient, SquadTransactionStatus } from '../providers/clients/squad.client';
import { PaymentsService, SettlementOutcome } from './payments.service';

export interface WebhookReceipt {
  received: true;
  reference: string | null;
  outcome: SettlementOutcome | 'ignored';
}

const STATUSES: readonly string[] = ['Success', 'Failed', 'Abandoned', 'Pending'];

@Injectable()
export class SquadWebhookService {
  private readonly logger = new Logger(SquadWebhookService.name);

  constructor(
    private readonly squad: SquadClient,
    private readonly payments: PaymentsService,
  ) {}

  /**
   * The signature is checked over the exact bytes received, before anything in the body is
   * believed. A valid notification is applied at most once; repeats answer 200 and change
   * nothing, so Squad stops retrying.
   */
  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookReceipt> {
    if (!rawBody?.length || !this.squad.verifyWebhookSignature(rawBody, signature)) {
      throw new AppException('INVALID_SIGNATURE', 'Missing or invalid x-squad-encrypted-body signature');
    }
    let event: unknown;
    try {
      event = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new AppException('MALFORMED_JSON', 'The webhook body is not valid JSON');
    }
    const parsed = parseChargeEvent(event);
    if (!parsed) {
      throw new AppException('VALIDATION_FAILED', 'Not a Squad charge notification', [
        { field: 'Body', message: 'expected Event, TransactionRef and Body{amount, transaction_status}' },
      ]);
    }
    if (parsed.event !== 'charge_successful') {
      this.logger.log(`Squad webhook ${parsed.event} for ${parsed.reference} ignored`);
      return { received: true, reference: parsed.reference, outcome: 'ignored' };
    }
    const outcome = await this.payments.applySettlement(parsed.reference, parsed);
    if (outcome === 'unknown_reference') this.logger.warn(`Squad webhook for unknown reference ${parsed.reference}`);
    return { received: true, reference: parsed.reference, outcome };
  }
}

function parseChargeEvent(
  event: unknown,
): {
  event: string;
  reference: string;
  amount: number;
  currency?: string;
  status: SquadTransactionStatus;
  gatewayRef: string | null;
} | null {
  if (!event || typeof event !== 'object') return null;
  const e = event as { Event?: unknown; TransactionRef?: unknown; Body?: Record<string, unknown> };
  const body = e.Body;
  if (typeof e.Event !== 'string' || !body || typeof body !== 'object') return null;
  const reference = typeof e.TransactionRef === 'string' ? e.TransactionRef : body.transaction_ref;
  if (typeof reference !== 'string' || !reference || reference.length > 64) return null;
  if (!Number.isSafeInteger(body.amount) || typeof body.transaction_status !== 'string') return null;
  if (!STATUSES.includes(body.transaction_status)) return null;
  return {
    event: e.Event,
    reference,
    amount: body.amount as number,
    status: body.transaction_status as SquadTransactionStatus,
    gatewayRef: typeof body.gateway_ref === 'string' ? body.gateway_ref : null,
    currency: typeof body.currency === 'string' ? body.currency : undefined,
  };
}
