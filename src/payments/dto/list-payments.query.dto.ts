import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ListQueryDto, ToStrictBoolean } from '@app/common';

export class ListPaymentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'verified', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'verified', 'failed'])
  status?: 'pending' | 'verified' | 'failed';

  @ApiPropertyOptional({ enum: ['not_posted', 'posted', 'failed'] })
  @IsOptional()
  @IsIn(['not_posted', 'posted', 'failed'])
  autopostStatus?: 'not_posted' | 'posted' | 'failed';

  @ApiPropertyOptional({ description: 'true: only payments without an IES client code' })
  @IsOptional()
  @ToStrictBoolean()
  @IsBoolean()
  missingClientCode?: boolean;
}
