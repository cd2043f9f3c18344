import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiEnvelope, ApiErrorResponse, ListQueryDto, Page, RequestActor, RequireScopes, UuidParam } from '@app/common';
import {
  ReconciliationRunResponse,
  ReconciliationRunSummary,
  ReconciliationSummaryResponse,
} from './dto/reconciliation.response.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('admin: reconciliation')
@Controller('admin/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('summary')
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'Record counts, orphaned records and the latest reconciliation runs' })
  @ApiEnvelope(ReconciliationSummaryResponse)
  summary(): Promise<ReconciliationSummaryResponse> {
    return this.reconciliation.summary();
  }

  @Post('runs')
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Run every reconciliation check now and store the run with its findings' })
  @ApiEnvelope(ReconciliationRunResponse, { status: 201 })
  run(@Actor() actor: RequestActor): Promise<ReconciliationRunResponse> {
    return this.reconciliation.run('manual', actor);
  }

  @Get('runs')
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'Reconciliation runs, newest first' })
  @ApiEnvelope(ReconciliationRunSummary, { paged: true })
  list(@Query() query: ListQueryDto): Promise<Page<ReconciliationRunSummary>> {
    return this.reconciliation.list(query);
  }

  @Get('runs/:id')
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'One run with its findings' })
  @ApiEnvelope(ReconciliationRunResponse)
  @ApiNotFoundResponse({ description: 'Unknown run (NOT_FOUND)', type: ApiErrorResponse })
  get(@UuidParam() id: string): Promise<ReconciliationRunResponse> {
    return this.reconciliation.get(id);
  }
}
