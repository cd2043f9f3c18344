import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { kobo } from '@app/common';

/** The insurer's products (motor, health, ...). */
@Entity('insurance_products')
export class InsuranceProduct {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** A customer as the gateway knows them; `ies_client_code` links them to IES (may be missing). */
@Entity('customer_profiles')
export class CustomerProfile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ name: 'ies_client_code', type: 'varchar', length: 64, nullable: true })
  iesClientCode: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

@Entity('quote_applications')
export class QuoteApplication {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'customer_profile_id', type: 'uuid', nullable: true })
  customerProfileId: string | null;

  @Column({ name: 'product_id', type: 'uuid', nullable: true })
  productId: string | null;

  @Column({ name: 'premium_kobo', type: 'bigint', nullable: true, transformer: kobo })
  premiumKobo: number | null;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** A policy; `customer_profile_id` may be missing (reconciliation counts those). */
@Entity('policies')
export class Policy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'policy_number', type: 'varchar', length: 64 })
  policyNumber: string;

  @Column({ name: 'customer_profile_id', type: 'uuid', nullable: true })
  customerProfileId: string | null;

  @Column({ name: 'product_id', type: 'uuid', nullable: true })
  productId: string | null;

  @Column({ name: 'quote_application_id', type: 'uuid', nullable: true })
  quoteApplicationId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
