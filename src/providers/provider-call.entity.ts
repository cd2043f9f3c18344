import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProviderName } from './provider-endpoints.service';

/** One outbound call (one attempt) to IES, Squad or Mono. Never a credential, query value or body. */
@Entity('provider_calls')
export class ProviderCall {
  /** Made by the gateway, so a batch insert needs nothing back from the database. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  provider: ProviderName;

  @Column({ type: 'varchar', length: 64 })
  operation: string;

  @Column({ type: 'varchar', length: 8 })
  method: string;

  /** Without credentials, and with query values masked. */
  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'varchar', length: 8 })
  status: 'ok' | 'failed';

  /** Null when no HTTP answer came (timeout, connection refused or reset). */
  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus: number | null;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The request that caused the call (null for background work). */
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  /** 1 for the first try, 2+ for retries of the same operation. */
  @Column({ type: 'smallint' })
  attempt: number;

  /** When the call started. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
