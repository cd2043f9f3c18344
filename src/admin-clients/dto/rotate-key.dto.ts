import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsOptionalNotNull } from '@app/common';

export class RotateKeyDto {
  @ApiPropertyOptional({
    example: 3600,
    default: 0,
    minimum: 0,
    maximum: 604800,
    description: 'Seconds the old key keeps working, so the new one can be deployed first (0 = invalidate now)',
  })
  @IsOptionalNotNull()
  @Min(0)
  @Max(604800)
  @IsInt()
  gracePeriodSeconds?: number;
}
