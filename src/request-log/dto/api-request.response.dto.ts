import { ApiProperty } from '@nestjs/swagger';
import type { ApiRequest } from '../api-request.entity';

export class ApiRequestResponse {
  @ApiProperty({ example: '0f7c9d8e-5b4a-4c3d-9e2f-1a0b9c8d7e6f' })
  id: string;

  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f', nullable: true, type: String, description: 'null when no valid key was presented' })
  api_client_id: string | null;

  @ApiProperty({ example: 'POST' })
  method: string;

  @ApiProperty({ example: '/v1/admin/api-clients', description: 'Without the query string' })
  path: string;

  @ApiProperty({ example: 201 })
  status_code: number;

  @ApiProperty({ example: 12 })
  latency_ms: number;

  @ApiProperty({ example: '6f1c2c1e-3a6b-4f7e-9a43-3f0f4d1f2b7a' })
  request_id: string;

  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String })
  ip: string | null;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  created_at: string;

  static from(row: ApiRequest): ApiRequestResponse {
    return {
      id: row.id,
      api_client_id: row.apiClientId,
      method: row.method,
      path: row.path,
      status_code: row.statusCode,
      latency_ms: row.latencyMs,
      request_id: row.requestId,
      ip: row.ip,
      created_at: row.createdAt.toISOString(),
    };
  }
}
