import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ListQueryDto, ToStrictInt } from '@app/common';

export class ListApiRequestsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only requests made with this API client id', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  apiClientId?: string;

  @ApiPropertyOptional({ example: '/v1/admin/api-clients', description: 'Only requests to exactly this path (no query string)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  path?: string;

  @ApiPropertyOptional({ example: 429, description: 'Only requests answered with this HTTP status' })
  @IsOptional()
  @ToStrictInt()
  @Min(100)
  @Max(599)
  @IsInt()
  statusCode?: number;

  @ApiPropertyOptional({ example: '2026-05-26T09:00:00Z', description: 'Only requests that arrived at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ example: '2026-05-26T10:00:00Z', description: 'Only requests that arrived before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}
