import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type IdempotencyStatus = 'pending' | 'completed' | 'expired';

/**
 * One Idempotency-Key of one API client: reserved by a unique constraint when its first
 * request starts, completed with that request's answer. Answers of key-issuing routes are kept
 * without the key (see WithholdOnReplay).
 */
@Entity('idempotency_keys')
export class IdempotencyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'api_client_id', type: 'uuid' })
  apiClientId: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 16 })
  method: string;

  @Column({ type: 'varchar', length: 2048 })
  path: string;

  /** SHA-256 of method, URL and body bytes: a reuse with anything else is refused. */
  @Column({ name: 'request_hash', type: 'bytea' })
  requestHash: Buffer;

  /** 'expired' is written by the sweep; until then an expired record still says what it was. */
  @Column({ type: 'varchar', length: 16 })
  status: IdempotencyStatus;

  @Column({ name: 'response_status', type: 'smallint', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
