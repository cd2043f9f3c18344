import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Requests a client made in one calendar month (UTC), added to in batches by each replica. */
@Entity('api_client_usage')
export class ApiClientUsage {
  @PrimaryColumn({ name: 'api_client_id', type: 'uuid' })
  apiClientId: string;

  /** 'YYYY-MM' in UTC. */
  @PrimaryColumn({ type: 'varchar', length: 7 })
  month: string;

  @Column({ name: 'request_count', type: 'bigint' })
  requestCount: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
