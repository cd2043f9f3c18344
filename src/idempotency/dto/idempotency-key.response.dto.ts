import { ApiProperty } from '@nestjs/swagger';
import type { IdempotencyRecord, IdempotencyStatus } from '../idempotency-record.entity';

/** A tracked key and what became of it; never the stored answer itself. */
export class IdempotencyKeyResponse {
  @ApiProperty({ example: '7a1d3c5e-9b2f-4e6a-8c0d-1f3b5d7e9a2c' })
  id: string;

  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f' })
  api_client_id: string;

  @ApiProperty({ example: 'order-4711-create' })
  idempotency_key: string;

  @ApiProperty({ example: 'POST' })
  method: string;

  @ApiProperty({ example: '/v1/admin/api-clients' })
  path: string;

  @ApiProperty({ enum: ['pending', 'completed', 'expired'], example: 'completed' })
  status: IdempotencyStatus;

  @ApiProperty({ example: 201, nullable: true, type: Number, description: 'The stored answer\'s HTTP status' })
  response_status: number | null;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-05-26T09:00:00.120Z', nullable: true, type: String })
  completed_at: string | null;

  @ApiProperty({ example: '2026-05-27T09:00:00.000Z' })
  expires_at: string;

  static from(row: IdempotencyRecord, now = Date.now()): IdempotencyKeyResponse {
    return {
      id: row.id,
      api_client_id: row.apiClientId,
      idempotency_key: row.idempotencyKey,
      method: row.method,
      path: row.path,
      status: row.expiresAt.getTime() <= now ? 'expired' : row.status,
      response_status: row.responseStatus,
      created_at: row.createdAt.toISOString(),
      completed_at: row.completedAt ? row.completedAt.toISOString() : null,
      expires_at: row.expiresAt.toISOString(),
    };
  }
}
