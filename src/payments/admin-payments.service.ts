import { Injectable } from '@nestjs/common';
import { Page } from '@app/common';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto';
import { PaymentResponse } from './dto/payment.response.dto';
import { PaymentsService } from './payments.service';

/** The operators' side of payments: find them, repair failed autoposts (audited). */
@Injectable()
export class AdminPaymentsService {
  constructor(private readonly payments: PaymentsService) {}

  list(query: ListPaymentsQueryDto): Promise<Page<PaymentResponse>> {
    return this.payments.listForAdmin(query);
  }

  async retryAutopost(reference: string): Promise<PaymentResponse> {
    const { after } = await this.payments.retryAutopost(reference);
    return PaymentResponse.from(after);
  }
}
