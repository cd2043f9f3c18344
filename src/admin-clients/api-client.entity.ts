import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ClientStatus = 'active' | 'suspended' | 'revoked';
export type ClientEnvironment = 'live' | 'test';

/** A partner, app or internal tool that calls the gateway. Never deleted: revoked is final. */
@Entity('api_clients')
export class ApiClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  environment: ClientEnvironment;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ type: 'varchar', length: 16 })
  status: ClientStatus;

  /** Prefix of the newest key, shown to operators to tell keys apart. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 32 })
  keyPrefix: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ name: 'allowed_origins', type: 'text', array: true })
  allowedOrigins: string[];

  @Column({ name: 'rate_limit_per_minute', type: 'integer' })
  rateLimitPerMinute: number;

  @Column({ name: 'monthly_quota', type: 'integer', nullable: true })
  monthlyQuota: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
