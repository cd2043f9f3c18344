import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, AuthenticatedClient, CurrentClient, RequireScopes } from '@app/common';
import { AdminClientsService } from './admin-clients.service';
import { MeResponse } from './dto/api-client.response.dto';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly clients: AdminClientsService) {}

  @Get()
  @RequireScopes()
  @ApiOperation({ summary: 'Which key am I holding and what may it do? Any valid key, no scope needed' })
  @ApiEnvelope(MeResponse)
  me(@CurrentClient() caller: AuthenticatedClient): Promise<MeResponse> {
    return this.clients.describe(caller);
  }
}
