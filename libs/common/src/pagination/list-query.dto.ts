import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToStrictInt } from '../validation/transforms';

/** `limit` and `cursor`, shared by every paged list. */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100, description: 'Max records (1..500)' })
  @IsOptional()
  @ToStrictInt()
  @Min(1)
  @Max(500)
  @IsInt()
  limit: number = 100;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
