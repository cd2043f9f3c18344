import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, Page, RequireScopes } from '@app/common';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyKeyResponse } from './dto/idempotency-key.response.dto';
import { ListIdempotencyKeysQueryDto } from './dto/list-idempotency-keys.query.dto';

@ApiTags('admin: records')
@Controller('admin/idempotency-keys')
export class IdempotencyController {
  constructor(private readonly idempotency: IdempotencyService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({
    summary: 'Idempotency keys tracked for deduplication, newest first',
    description: 'Keys expire 24 h after first use (status expired); stored answers are never listed.',
  })
  @ApiEnvelope(IdempotencyKeyResponse, { paged: true })
  list(@Query() query: ListIdempotencyKeysQueryDto): Promise<Page<IdempotencyKeyResponse>> {
    return this.idempotency.list(query);
  }
}
