import { Injectable } from '@nestjs/common';
import { Page, RequestActor } from '@app/common';
import { AuditLogService } from '../audit-log/audit-log.service';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto';
import { PaymentResponse } from './dto/payment.response.dto';
import type { Payment } from './payment.entity';
import { PaymentsService } from './payments.service';

/** The operators' side of payments: find them, repair failed autoposts (audited). */
@Injectable()
export class AdminPaymentsService {
  constructor(
    private readonly payments: PaymentsService,
    private readonly audit: AuditLogService,
  ) {}

  list(query: ListPaymentsQueryDto): Promise<Page<PaymentResponse>> {
    return this.payments.listForAdmin(query);
  }

  /** A retry that ran is audited whatever IES answered; a refused one (409, 404) changed nothing. */
  async retryAutopost(reference: string, actor: RequestActor): Promise<PaymentResponse> {
    const { before, after } = await this.payments.retryAutopost(reference);
    const [was, is] = [autopostFields(before), autopostFields(after)];
    const changed = Object.keys(is).filter((field) => was[field] !== is[field]);
    await this.audit.record({
      actor,
      action: 'payment.autopost_retried',
      targetType: 'payment',
      targetId: reference,
      before: Object.fromEntries(changed.map((field) => [field, was[field]])),
      after: Object.fromEntries(changed.map((field) => [field, is[field]])),
    });
    return PaymentResponse.from(after);
  }
}

function autopostFields(p: Payment): Record<string, unknown> {
  return {
    autopost_status: p.autopostStatus,
    autopost_attempts: p.autopostAttempts,
    ies_receipt_number: p.iesReceiptNumber,
    last_error: p.lastError,
  };
}
