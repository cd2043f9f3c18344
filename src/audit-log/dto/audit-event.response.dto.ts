import { ApiProperty } from '@nestjs/swagger';
import type { AuditEvent } from '../audit-event.entity';

export class AuditEventResponse {
  @ApiProperty({ example: '5d0b8f3e-7c2a-4b1e-9f6d-2e8a7c4b1d3f' })
  id: string;

  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f', nullable: true, type: String, description: 'null: the gateway itself (bootstrap, CLI)' })
  actor_client_id: string | null;

  @ApiProperty({ example: 'api_client.suspended' })
  action: string;

  @ApiProperty({ example: 'api_client' })
  target_type: string;

  @ApiProperty({ example: '9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b' })
  target_id: string;

  @ApiProperty({ example: { status: 'active' }, nullable: true, type: Object, description: 'The changed fields before (null on creation)' })
  before: Record<string, unknown> | null;

  @ApiProperty({ example: { status: 'suspended' }, nullable: true, type: Object, description: 'The changed fields after' })
  after: Record<string, unknown> | null;

  @ApiProperty({ example: '6f1c2c1e-3a6b-4f7e-9a43-3f0f4d1f2b7a', nullable: true, type: String })
  request_id: string | null;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  created_at: string;

  static from(row: AuditEvent): AuditEventResponse {
    return {
      id: row.id,
      actor_client_id: row.actorClientId,
      action: row.action,
      target_type: row.targetType,
      target_id: row.targetId,
      before: row.before,
      after: row.after,
      request_id: row.requestId,
      created_at: row.createdAt.toISOString(),
    };
  }
}
