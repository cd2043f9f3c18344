import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '@app/common';

export class ListAuditEventsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'api_client.key_rotated' })
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like api_client.created' })
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ description: 'Only changes made by this API client', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorClientId?: string;

  @ApiPropertyOptional({ description: 'Only changes to this record (an API client id, a payment reference, …)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  targetId?: string;
}
