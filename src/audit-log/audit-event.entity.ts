import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin mutation: who did what to which record, and the changed fields before and after.
 * Append-only: a trigger refuses UPDATE and DELETE (see the CreateAuditEvents migration).
 */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The API client that made the change; null for the gateway itself (bootstrap, CLI). */
  @Column({ name: 'actor_client_id', type: 'uuid', nullable: true })
  actorClientId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 128 })
  targetId: string;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
