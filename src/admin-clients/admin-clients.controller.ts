import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrorResponse, Page, RequireScopes, UuidParam } from '@app/common';
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
  create(@Body() dto: CreateApiClientDto): Promise<CreatedApiClientResponse> {
    return this.clients.create(dto);
  }

  @Get(':id')
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'One API client' })
  @ApiEnvelope(ApiClientResponse)
  async get(@UuidParam() id: string): Promise<ApiClientResponse> {
    return ApiClientResponse.from(await this.clients.get(id));
  }

  @Patch(':id')
  @RequireScopes('admin:write')
  @ApiOperation({ summary: "Change only the fields sent; applies to the key's very next request" })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'CLIENT_REVOKED or LAST_ADMIN', type: ApiErrorResponse })
  async update(@UuidParam() id: string, @Body() dto: UpdateApiClientDto): Promise<ApiClientResponse> {
    return ApiClientResponse.from((await this.clients.update(id, dto)).client);
  }

  @Delete(':id')
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Revoke (soft delete): the key fails on its very next request' })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'LAST_ADMIN', type: ApiErrorResponse })
  async remove(@UuidParam() id: string): Promise<ApiClientResponse> {
    return ApiClientResponse.from((await this.clients.revoke(id)).client);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RequireScopes('admin:write')
  @ApiOperation({ summary: 'Revoke (POST alternative to DELETE); revoking again answers 200' })
  @ApiEnvelope(ApiClientResponse)
  @ApiConflictResponse({ description: 'LAST_ADMIN', type: ApiErrorResponse })
  async revoke(@UuidParam() id: string): Promise<ApiClientResponse> {
    return ApiClientResponse.from((await this.clients.revoke(id)).client);
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
  async rotateKey(@UuidParam() id: string, @Body() dto: RotateKeyDto): Promise<RotatedKeyResponse> {
    return (await this.clients.rotateKey(id, dto.gracePeriodSeconds ?? 0)).response;
  }
}
