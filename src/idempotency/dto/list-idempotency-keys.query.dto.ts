import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListQueryDto } from '@app/common';
import type { IdempotencyStatus } from '../idempotency-record.entity';

export class ListIdempotencyKeysQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'completed', 'expired'] })
  @IsOptional()
  @IsIn(['pending', 'completed', 'expired'])
  status?: IdempotencyStatus;

  @ApiPropertyOptional({ example: '/v1/admin/api-clients', description: 'Only keys used on exactly this path' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  path?: string;

  @ApiPropertyOptional({ description: 'Only keys of this API client', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  apiClientId?: string;
}
