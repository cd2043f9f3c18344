import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { IsOptionalNotNull, ListQueryDto, ToStrictBoolean } from '@app/common';
import type { CustomerProfile } from '../insurance.entities';

export class ListCustomerProfilesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'true: only profiles without an IES client code' })
  @IsOptional()
  @ToStrictBoolean()
  @IsBoolean()
  missingClientCode?: boolean;
}

export class UpdateCustomerProfileDto {
  @ApiProperty({ example: 'CEA-100001', description: "The customer's IES client code (checked with IES)" })
  @IsOptionalNotNull()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'iesClientCode must be 1-64 letters, digits or dashes' })
  @IsString()
  iesClientCode: string;
}

export class CustomerProfileResponse {
  @ApiProperty({ example: '5b0e8c1a-3f4d-4e2b-9c7a-1d2e3f4a5b6c' })
  id: string;

  @ApiProperty({ example: 'Adaeze Okafor' })
  full_name: string;

  @ApiProperty({ example: 'adaeze.okafor@example.com', nullable: true, type: String })
  email: string | null;

  @ApiProperty({ example: 'CEA-100001', nullable: true, type: String })
  ies_client_code: string | null;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z' })
  created_at: string;

  static from(p: CustomerProfile): CustomerProfileResponse {
    return {
      id: p.id,
      full_name: p.fullName,
      email: p.email,
      ies_client_code: p.iesClientCode,
      created_at: p.createdAt.toISOString(),
    };
  }
}
