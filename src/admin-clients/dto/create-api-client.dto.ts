import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import { ALL_SCOPES, IsOptionalNotNull, IsOriginList, IsScopeList, Trim } from '@app/common';

export class CreateApiClientDto {
  @ApiProperty({ example: 'Mobile App Production', description: 'Human-readable name for this client' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    example: ['products:*', 'customers:*', 'quotes:*', 'policies:*', 'payments:*', 'kyc:*'],
    description: 'Permission scopes, resource:read|write|*',
    enum: ALL_SCOPES,
    isArray: true,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ALL_SCOPES.length)
  @ArrayUnique()
  @IsScopeList()
  scopes: string[];

  @ApiPropertyOptional({ enum: ['live', 'test'], default: 'live' })
  @IsOptionalNotNull()
  @IsIn(['live', 'test'])
  environment?: 'live' | 'test';

  @ApiPropertyOptional({ example: 'dev@capitalexpressassurance.com', description: 'Contact email for alerts and key expiry notices' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ example: ['https://app.capitalexpressassurance.com'], description: 'CORS origins allowed to use this key' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsOriginList()
  allowedOrigins?: string[];

  @ApiPropertyOptional({ example: 120, default: 120, minimum: 1, maximum: 100000, description: 'Max requests per minute' })
  @IsOptionalNotNull()
  @Min(1)
  @Max(100000)
  @IsInt()
  rateLimitPerMinute?: number;

  @ApiPropertyOptional({ example: 100000, nullable: true, minimum: 1, description: 'Requests per calendar month (UTC); null = unlimited' })
  @IsOptional()
  @Min(1)
  @Max(2_000_000_000)
  @IsInt()
  monthlyQuota?: number | null;
}
