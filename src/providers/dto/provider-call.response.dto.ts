import { ApiProperty } from '@nestjs/swagger';
import type { ProviderCall } from '../provider-call.entity';

export class ProviderCallResponse {
  @ApiProperty({ example: '0b5f1f8e-4c1a-4c57-9d0e-2f7f3c1b9a10' })
  id: string;

  @ApiProperty({ enum: ['ies', 'squad', 'mono'], example: 'squad' })
  provider: string;

  @ApiProperty({ example: 'transaction.verify' })
  operation: string;

  @ApiProperty({ example: 'GET' })
  method: string;

  @ApiProperty({ example: 'https://sandbox-api-d.squadco.com/transaction/verify/CEA-PAY-123', description: 'No credentials; query values masked' })
  url: string;

  @ApiProperty({ enum: ['ok', 'failed'], example: 'ok' })
  status: string;

  @ApiProperty({ example: 200, nullable: true, type: Number, description: 'Null when no HTTP answer came' })
  http_status: number | null;

  @ApiProperty({ example: 182 })
  latency_ms: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  error: string | null;

  @ApiProperty({ example: '5d2c6a0e-7b7e-4d6f-a1c5-3e0f9b8d7c21', nullable: true, type: String })
  request_id: string | null;

  @ApiProperty({ example: 1, description: '1 for the first try, 2+ for retries' })
  attempt: number;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  created_at: string;

  static from(call: ProviderCall): ProviderCallResponse {
    return {
      id: call.id,
      provider: call.provider,
      operation: call.operation,
      method: call.method,
      url: call.url,
      status: call.status,
      http_status: call.httpStatus,
      latency_ms: call.latencyMs,
      error: call.error,
      request_id: call.requestId,
      attempt: call.attempt,
      created_at: call.createdAt.toISOString(),
    };
  }
}
