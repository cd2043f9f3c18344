import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiEnvelope, ApiErrorResponse, Page, RequestActor, RequireScopes, UuidParam, WithholdOnReplay } from '@app/common';
import { AdminClientsService } from './admin-clients.service';
import { CreateApiClientDto } from './dto/create-api-client.dto';
import { UpdateApiClientDto } from './dto/update-api-client.dto';
import { RotateKeyDto } from './dto/rotate-key.dto';
import { ListApiClientsQueryDto } from './dto/list-api-clients.query.dto';
import { ApiClientResponse, CreatedApiClientResponse, RotatedKeyResponse } from './dto/api-client.response.dto';

@ApiTags('admin: api clients')
@ApiNotFoundResponse({ description: 'Unknown client id (NOT_FOUND)', type: ApiErrorResponse })
@Controller('admin/api-clients')
export class AdminClientsController {
  constructor(private readonly clients: AdminClientsService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'List API clients (never key material)' })
  @ApiEnvelope(ApiClientResponse, { paged: true })
  list(@Query() query: ListApiClientsQueryDto): Promise<Page<ApiClientResponse>> {
    return this.clients.list(query);
  }

  @Post()
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Create an API client; its key is in this answer and never again' })
  @ApiEnvelope(CreatedApiClientResponse, { status: 201 })
  @WithholdOnReplay('api_key')
  create(@Body() dto: CreateApiClientDto, @Actor() actor: RequestActor): Promise<CreatedApiClientResponse> {
    return this.clients.create(dto, actor);
  }

  @Get(':id')
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'One API client' })
  @ApiEnvelope(ApiClientResponse)
  get(@UuidParam() id: string): Promise<ApiClientResponse> {
    return this.clients.findOne(id);
  }

  @Patch(':id')
  @RequireScopes('admin:write')
  @ApiOperation({ summary: "Change only the fields sent; applies to the key's very next request" })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'CLIENT_REVOKED or LAST_ADMIN', type: ApiErrorResponse })
  update(@UuidParam() id: string, @Body() dto: UpdateApiClientDto, @Actor() actor: RequestActor): Promise<ApiClientResponse> {
    return this.clients.update(id, dto, actor);
  }

  @Delete(':id')
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Revoke (soft delete): the key fails on its very next request' })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'LAST_ADMIN', type: ApiErrorResponse })
  remove(@UuidParam() id: string, @Actor() actor: RequestActor): Promise<ApiClientResponse> {
    return this.clients.revoke(id, actor);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Revoke (POST alternative to DELETE); revoking again answers 200' })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'LAST_ADMIN', type: ApiErrorResponse })
  revoke(@UuidParam() id: string, @Actor() actor: RequestActor): Promise<ApiClientResponse> {
    return this.clients.revoke(id, actor);
  }

  @Post(':id/rotate-key')
  @HttpCode(200)
  @RequireScopes('admin:write')
  @ApiOperation({
    summary: 'Issue a new key; the old one stops now, or after gracePeriodSeconds',
    description: 'The new key is shown only once.',
  })
  @ApiEnvelope(RotatedKeyResponse)
  @ApiConflictResponse({ description: 'CLIENT_REVOKED', type: ApiErrorResponse })
  @WithholdOnReplay('apiKey')
  rotateKey(@UuidParam() id: string, @Body() dto: RotateKeyDto, @Actor() actor: RequestActor): Promise<RotatedKeyResponse> {
    return this.clients.rotateKey(id, dto.gracePeriodSeconds ?? 0, actor);
  }
}
