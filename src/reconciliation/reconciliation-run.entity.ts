import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface ReconciliationFinding {
  check: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** What the finding is about: a payment reference, a policy number, ... */
  subject: { type: string; id: string; reference?: string };
  detail?: Record<string, unknown>;
}

/** One end-of-day (or on-demand) reconciliation: what was checked and what did not add up. */
@Entity('reconciliation_runs')
export class ReconciliationRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  trigger: 'manual' | 'schedule';

  @Column({ name: 'actor_client_id', type: 'uuid', nullable: true })
  actorClientId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: 'completed' | 'failed';

  @Column({ type: 'jsonb' })
  counts: Record<string, number>;

  @Column({ type: 'jsonb' })
  findings: ReconciliationFinding[];

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
