import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '@app/common';
import type { ClientEnvironment, ClientStatus } from '../api-client.entity';

export class ListApiClientsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'suspended', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'suspended', 'revoked'])
  status?: ClientStatus;

  @ApiPropertyOptional({ enum: ['live', 'test'] })
  @IsOptional()
  @IsIn(['live', 'test'])
  environment?: ClientEnvironment;
}
