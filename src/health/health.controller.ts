import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiProperty } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrorResponse, Public } from '@app/common';
import { GatewayHealth, HealthService } from './health.service';

class HealthResponse implements GatewayHealth {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  @ApiProperty({ example: '2026-05-26T09:00:00Z' })
  timestamp: string;

  @ApiProperty({ example: '1.0.0' })
  version: string;
}

class LiveResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

/** Public probes: no key, never rate limited. */
@ApiTags('health')
@Public()
@ApiServiceUnavailableResponse({ description: 'Database unreachable or shutting down (SERVICE_UNAVAILABLE)', type: ApiErrorResponse })
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('admin/health')
  @ApiOperation({ summary: 'Gateway health status and timestamp (public)', description: 'Uptime checks and smoke tests.' })
  @ApiEnvelope(HealthResponse)
  gateway(): Promise<GatewayHealth> {
    return this.health.gateway();
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Kubernetes liveness: the process is up (public)' })
  @ApiEnvelope(LiveResponse)
  live(): { status: 'ok' } {
    return this.health.live();
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Kubernetes readiness: database reachable, migrated, not shutting down (public)' })
  @ApiEnvelope(HealthResponse)
  ready(): Promise<GatewayHealth> {
    return this.health.ready();
  }
}
