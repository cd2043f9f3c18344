import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { kobo } from '@app/common';

export type PaymentStatus = 'pending' | 'verified' | 'failed';
export type AutopostStatus = 'not_posted' | 'posted' | 'failed';

/**
 * One premium payment through Squad. `reference` is ours (sent to Squad as transaction_ref and
 * to IES as the receipt's idempotency reference). Money is integer kobo.
 */
@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  reference: string;

  @Column({ name: 'amount_kobo', type: 'bigint', transformer: kobo })
  amountKobo: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'customer_profile_id', type: 'uuid', nullable: true })
  customerProfileId: string | null;

  @Column({ name: 'policy_id', type: 'uuid', nullable: true })
  policyId: string | null;

  @Column({ name: 'client_code', type: 'varchar', length: 64, nullable: true })
  clientCode: string | null;

  @Column({ name: 'api_client_id', type: 'uuid', nullable: true })
  apiClientId: string | null;

  @Column({ type: 'varchar', length: 8 })
  environment: 'live' | 'test';

  @Column({ type: 'varchar', length: 16 })
  status: PaymentStatus;

  @Column({ name: 'autopost_status', type: 'varchar', length: 16 })
  autopostStatus: AutopostStatus;

  @Column({ name: 'autopost_attempts', type: 'integer' })
  autopostAttempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** When the background worker may try the autopost again (exponential backoff). */
  @Column({ name: 'next_autopost_at', type: 'timestamptz', nullable: true })
  nextAutopostAt: Date | null;

  /** A worker's lease on the autopost: while it runs, nobody else posts this payment. */
  @Column({ name: 'autopost_claimed_until', type: 'timestamptz', nullable: true })
  autopostClaimedUntil: Date | null;

  @Column({ name: 'checkout_url', type: 'text', nullable: true })
  checkoutUrl: string | null;

  @Column({ name: 'squad_gateway_ref', type: 'varchar', length: 128, nullable: true })
  squadGatewayRef: string | null;

  @Column({ name: 'squad_status', type: 'varchar', length: 32, nullable: true })
  squadStatus: string | null;

  /** Set when Squad reported a different amount: such a payment is flagged, never posted. */
  @Column({ name: 'amount_mismatch_kobo', type: 'bigint', nullable: true, transformer: kobo })
  amountMismatchKobo: number | null;

  @Column({ name: 'ies_receipt_number', type: 'varchar', length: 64, nullable: true })
  iesReceiptNumber: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
