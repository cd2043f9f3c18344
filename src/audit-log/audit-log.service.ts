import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, pageNewestFirst, RequestActor, toPage } from '@app/common';
import { AuditEvent } from './audit-event.entity';
import { AuditEventResponse } from './dto/audit-event.response.dto';
import { ListAuditEventsQueryDto } from './dto/list-audit-events.query.dto';

/** `<target type>.<what happened>`, e.g. api_client.key_rotated, payment.autopost_retried. */
export type AuditAction = `${string}.${string}`;

export interface AuditRecord {
  actor?: RequestActor;
  action: AuditAction;
  targetType: string;
  targetId: string;
  /** The changed fields only, as the API names them; never key material or other secrets. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * The audit trail. The only writer of audit_events: other modules call record(), passing
 * their transaction's manager so the event commits or rolls back with the change it describes.
 */
@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.save(
      manager.create(AuditEvent, {
        actorClientId: event.actor?.clientId ?? null,
        requestId: event.actor?.requestId ?? null,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        before: event.before ?? null,
        after: event.after ?? null,
      }),
    );
  }

  async list(query: ListAuditEventsQueryDto): Promise<Page<AuditEventResponse>> {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.actorClientId) qb.andWhere('e.actor_client_id = :actor', { actor: query.actorClientId });
    if (query.targetId) qb.andWhere('e.target_id = :target', { target: query.targetId });
    const rows = await pageNewestFirst(qb, 'e', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, AuditEventResponse.from);
  }
}
