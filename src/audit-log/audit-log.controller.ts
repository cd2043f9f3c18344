import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, Page, RequireScopes } from '@app/common';
import { AuditLogService } from './audit-log.service';
import { AuditEventResponse } from './dto/audit-event.response.dto';
import { ListAuditEventsQueryDto } from './dto/list-audit-events.query.dto';

@ApiTags('admin: records')
@Controller('admin/audit-events')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'The audit trail of admin mutations, newest first (append-only)' })
  @ApiEnvelope(AuditEventResponse, { paged: true })
  list(@Query() query: ListAuditEventsQueryDto): Promise<Page<AuditEventResponse>> {
    return this.audit.list(query);
  }
}
