import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ALL_SCOPES, IsOptionalNotNull, IsOriginList, IsScopeList, Trim } from '@app/common';
import type { ClientStatus } from '../api-client.entity';

/** Every field optional; only the fields sent change. */
export class UpdateApiClientDto {
  @ApiPropertyOptional({ example: 'Mobile App Production' })
  @IsOptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: ['payments:*'], description: 'Replacement scope list', enum: ALL_SCOPES, isArray: true })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ALL_SCOPES.length)
  @ArrayUnique()
  @IsScopeList()
  scopes?: string[];

  @ApiPropertyOptional({ example: 300, minimum: 1, maximum: 100000 })
  @IsOptionalNotNull()
  @Min(1)
  @Max(100000)
  @IsInt()
  rateLimitPerMinute?: number;

  @ApiPropertyOptional({ example: 50000, nullable: true, description: 'null = unlimited' })
  @ValidateIf((o: UpdateApiClientDto) => o.monthlyQuota !== null)
  @IsOptional()
  @Min(1)
  @Max(2_000_000_000)
  @IsInt()
  monthlyQuota?: number | null;

  @ApiPropertyOptional({ example: 'dev@capitalexpressassurance.com', nullable: true })
  @ValidateIf((o: UpdateApiClientDto) => o.contactEmail !== null)
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string | null;

  @ApiPropertyOptional({ example: ['https://app.capitalexpressassurance.com'], description: 'Replacement list; [] = any origin' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsOriginList()
  allowedOrigins?: string[];

  @ApiPropertyOptional({ enum: ['active', 'suspended', 'revoked'], description: 'revoked is final' })
  @IsOptionalNotNull()
  @IsIn(['active', 'suspended', 'revoked'])
  status?: ClientStatus;
}
