import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrorResponse, GatewayRequest, Public } from '@app/common';
import { SquadWebhookService, WebhookReceipt } from './squad-webhook.service';

class WebhookReceiptResponse implements WebhookReceipt {
  @ApiProperty({ example: true })
  received: true;

  @ApiProperty({ example: 'CEA-20261203-7K3M9Q2X', nullable: true, type: String })
  reference: string | null;

  @ApiProperty({
    enum: ['verified', 'already_processed', 'amount_mismatch', 'failed', 'still_pending', 'unknown_reference', 'ignored'],
  })
  outcome: WebhookReceipt['outcome'];
}

/** Squad calls this; no API key — the HMAC-SHA512 signature of the raw body authenticates it. */
@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class SquadWebhookController {
  constructor(private readonly webhooks: SquadWebhookService) {}

  @Post('squad')
  @HttpCode(200)
  @ApiOperation({
    summary: "Squad's charge notifications (public; signed)",
    description:
      'Authenticated by header x-squad-encrypted-body: uppercase hex HMAC-SHA512 of the exact body bytes with the Squad secret key. A repeated notification is a 200 no-op.',
  })
  @ApiHeader({ name: 'x-squad-encrypted-body', required: true })
  @ApiEnvelope(WebhookReceiptResponse)
  @ApiUnauthorizedResponse({ description: 'Missing or wrong signature (INVALID_SIGNATURE); nothing changes', type: ApiErrorResponse })
  receive(@Req() req: GatewayRequest, @Headers('x-squad-encrypted-body') signature?: string): Promise<WebhookReceipt> {
    return this.webhooks.receive(req.rawBody, signature);
  }
}
