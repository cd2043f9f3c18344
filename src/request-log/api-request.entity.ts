import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One request under /v1 as the gateway answered it. Deliberately no headers, body or query
 * string: those may hold keys and personal data.
 */
@Entity('api_requests')
export class ApiRequest {
  /** Made by the gateway, so rows are written in batches without a round trip per row. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'api_client_id', type: 'uuid', nullable: true })
  apiClientId: string | null;

  @Column({ type: 'varchar', length: 16 })
  method: string;

  @Column({ type: 'varchar', length: 2048 })
  path: string;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode: number;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** When the request arrived. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
