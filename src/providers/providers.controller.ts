import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, Page, RequireScopes } from '@app/common';
import { ProviderCallLog } from './provider-call-log.service';
import { ListProviderCallsQueryDto } from './dto/list-provider-calls.query.dto';
import { ProviderCallResponse } from './dto/provider-call.response.dto';

@ApiTags('admin: providers')
@Controller('admin')
export class ProvidersController {
  constructor(private readonly calls: ProviderCallLog) {}

  @Get('provider-calls')
  @RequireScopes('admin:read')
  @ApiOperation({
    summary: 'Provider call log (IES, Squad, Mono): outcome, latency and the request that caused each call',
    description: 'One row per outbound attempt (status pings included), newest first. Rows appear within about a second.',
  })
  @ApiEnvelope(ProviderCallResponse, { paged: true })
  listCalls(@Query() query: ListProviderCallsQueryDto): Promise<Page<ProviderCallResponse>> {
    return this.calls.list(query);
  }
}
