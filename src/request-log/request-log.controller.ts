import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, Page, RequireScopes } from '@app/common';
import { RequestLogService } from './request-log.service';
import { ApiRequestResponse } from './dto/api-request.response.dto';
import { ListApiRequestsQueryDto } from './dto/list-api-requests.query.dto';

@ApiTags('admin: records')
@Controller('admin/api-requests')
export class RequestLogController {
  constructor(private readonly requests: RequestLogService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({
    summary: 'The request log, newest first',
    description: 'One row per request under /v1, refused ones included. Rows appear within a second.',
  })
  @ApiEnvelope(ApiRequestResponse, { paged: true })
  list(@Query() query: ListApiRequestsQueryDto): Promise<Page<ApiRequestResponse>> {
    return this.requests.list(query);
  }
}
