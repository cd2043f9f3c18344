import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiEnvelope, ApiErrorResponse, Page, RequestActor, RequireScopes } from '@app/common';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto';
import { PaymentResponse } from './dto/payment.response.dto';
import { AdminPaymentsService } from './admin-payments.service';

@ApiTags('admin: payments')
@Controller('admin/payments')
export class AdminPaymentsController {
  constructor(private readonly payments: AdminPaymentsService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'Payments, newest first: find what to retry (e.g. ?status=verified&autopostStatus=failed)' })
  @ApiEnvelope(PaymentResponse, { paged: true })
  list(@Query() query: ListPaymentsQueryDto): Promise<Page<PaymentResponse>> {
    return this.payments.list(query);
  }

  @Post(':ref/retry-autopost')
  @HttpCode(200)
  @RequireScopes('admin:write')
  @ApiOperation({
    summary: 'Retry the IES autopost of a verified payment whose autopost failed',
    description: 'Concurrent retries post to IES at most once. Answers the payment with its new autopost state.',
  })
  @ApiEnvelope(PaymentResponse)
  @ApiNotFoundResponse({ description: 'Unknown reference (NOT_FOUND)', type: ApiErrorResponse })
  @ApiConflictResponse({ description: 'PAYMENT_NOT_VERIFIED, ALREADY_POSTED or AUTOPOST_IN_PROGRESS', type: ApiErrorResponse })
  retry(@Param('ref') ref: string, @Actor() actor: RequestActor): Promise<PaymentResponse> {
    return this.payments.retryAutopost(ref, actor);
  }
}
