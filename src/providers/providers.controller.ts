import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, Page, RequireScopes } from '@app/common';
import { ProviderCallLog } from './provider-call-log.service';
import { ListProviderCallsQueryDto } from './dto/list-provider-calls.query.dto';
import { ProviderCallResponse } from './dto/provider-call.response.dto';
import { ProvidersStatusResponse } from './dto/providers-status.response.dto';
import { ProvidersStatusService } from './providers-status.service';

@ApiTags('admin: providers')
@Controller('admin')
export class ProvidersController {
  constructor(
    private readonly calls: ProviderCallLog,
    private readonly status: ProvidersStatusService,
  ) {}

  @Get('providers/status')
  @RequireScopes('admin:read')
  @ApiOperation({
    summary: 'Ping IES, Squad and Mono at once and report reachability',
    description:
      'Always 200: a provider that is down or hangs shows `{"ok": false, "status": null|code}`. ' +
      'Each ping is bounded by PROVIDER_STATUS_TIMEOUT_MS (default 2 s) and recorded in the provider-call log as `ping`.',
  })
  @ApiEnvelope(ProvidersStatusResponse)
  providersStatus(): Promise<ProvidersStatusResponse> {
    return this.status.check();
  }

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
