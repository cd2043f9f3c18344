import { ApiProperty } from '@nestjs/swagger';
import type { Payment } from '../payment.entity';

/** A payment as partners and operators see it. */
export class PaymentResponse {
  @ApiProperty({ example: 'CEA-20261203-7K3M9Q2X' })
  reference: string;

  @ApiProperty({ example: 2500000, description: 'kobo' })
  amount: number;

  @ApiProperty({ example: 'NGN' })
  currency: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ enum: ['pending', 'verified', 'failed'], example: 'pending' })
  status: string;

  @ApiProperty({ enum: ['not_posted', 'posted', 'failed'], example: 'not_posted' })
  autopost_status: string;

  @ApiProperty({ example: 0 })
  autopost_attempts: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  last_error: string | null;

  @ApiProperty({ example: 'https://sandbox-pay.squadco.com/CEA-20261203-7K3M9Q2X', nullable: true, type: String })
  checkout_url: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  client_code: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  customer_profile_id: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  policy_id: string | null;

  @ApiProperty({ example: 'live' })
  environment: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  squad_gateway_ref: string | null;

  @ApiProperty({ example: null, nullable: true, type: Number, description: 'Amount Squad reported when it differs (flagged, not posted)' })
  amount_mismatch: number | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  ies_receipt_number: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  verified_at: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  posted_at: string | null;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z' })
  created_at: string;

  static from(p: Payment): PaymentResponse {
    return {
      reference: p.reference,
      amount: p.amountKobo,
      currency: p.currency,
      email: p.email,
      status: p.status,
      autopost_status: p.autopostStatus,
      autopost_attempts: p.autopostAttempts,
      last_error: p.lastError,
      checkout_url: p.checkoutUrl,
      client_code: p.clientCode,
      customer_profile_id: p.customerProfileId,
      policy_id: p.policyId,
      environment: p.environment,
      squad_gateway_ref: p.squadGatewayRef,
      amount_mismatch: p.amountMismatchKobo,
      ies_receipt_number: p.iesReceiptNumber,
      verified_at: p.verifiedAt ? p.verifiedAt.toISOString() : null,
      posted_at: p.postedAt ? p.postedAt.toISOString() : null,
      created_at: p.createdAt.toISOString(),
    };
  }
}
