import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '@app/common';
import { PROVIDERS, type ProviderName } from '../provider-endpoints.service';

export class ListProviderCallsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: PROVIDERS })
  @IsOptional()
  @IsIn(PROVIDERS)
  provider?: ProviderName;

  @ApiPropertyOptional({ example: 'transaction.verify', description: 'Operation name, e.g. receipts.post, bvn.initiate, ping' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  operation?: string;

  @ApiPropertyOptional({ enum: ['ok', 'failed'] })
  @IsOptional()
  @IsIn(['ok', 'failed'])
  status?: 'ok' | 'failed';

  @ApiPropertyOptional({ description: 'Only calls caused by this request (its x-request-id)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'requestId must be a request id (1..128 letters, digits, . _ : -)' })
  requestId?: string;
}
