import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiGatewayTimeoutResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrorResponse, AuthenticatedClient, CurrentClient, RequireScopes } from '@app/common';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { PaymentResponse } from './dto/payment.response.dto';
import { PaymentsService } from './payments.service';
import { UsesProviders } from '../providers/uses-providers.decorator';

@ApiTags('payments')
@ApiBadGatewayResponse({ description: 'Squad failed (PROVIDER_ERROR)', type: ApiErrorResponse })
@ApiGatewayTimeoutResponse({ description: 'Squad did not answer in time (PROVIDER_TIMEOUT)', type: ApiErrorResponse })
@UsesProviders('squad', 'ies')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @RequireScopes('payments:write')
  @ApiOperation({
    summary: 'Start a Squad payment: answers the checkout URL to send the payer to',
    description: 'Amount in kobo. Send an Idempotency-Key header so a retried request never starts a second payment.',
  })
  @ApiEnvelope(PaymentResponse, { status: 201 })
  create(@Body() dto: CreatePaymentDto, @CurrentClient() caller: AuthenticatedClient): Promise<PaymentResponse> {
    return this.payments.create(dto, caller);
  }

  @Get(':ref')
  @RequireScopes('payments:read')
  @ApiOperation({ summary: 'A payment of your environment, by reference' })
  @ApiEnvelope(PaymentResponse)
  @ApiNotFoundResponse({ description: 'Unknown reference (NOT_FOUND)', type: ApiErrorResponse })
  async get(@Param('ref') ref: string, @CurrentClient() caller: AuthenticatedClient): Promise<PaymentResponse> {
    return PaymentResponse.from(await this.payments.getForClient(ref, caller));
  }

  @Post(':ref/verify')
  @HttpCode(200)
  @RequireScopes('payments:write')
  @ApiOperation({ summary: 'Ask Squad now; a settled payment becomes verified and is posted to IES' })
  @ApiEnvelope(PaymentResponse)
  @ApiNotFoundResponse({ description: 'Unknown reference (NOT_FOUND)', type: ApiErrorResponse })
  verify(@Param('ref') ref: string, @CurrentClient() caller: AuthenticatedClient): Promise<PaymentResponse> {
    return this.payments.verify(ref, caller);
  }
}
