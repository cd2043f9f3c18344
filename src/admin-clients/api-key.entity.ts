import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One issued key of a client: only its SHA-256 is kept. A client has one current key, plus
 * the previous one while a rotation's grace period runs (`expires_at`).
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'api_client_id', type: 'uuid' })
  apiClientId: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 32 })
  keyPrefix: string;

  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
