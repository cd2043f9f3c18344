import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '@app/common';

/** 100 million naira: far above any single premium, far below 2^53 kobo. */
export const MAX_PAYMENT_KOBO = 10_000_000_000;

export class CreatePaymentDto {
  @ApiProperty({ example: 2500000, description: 'Amount in kobo (integer minor units): 2500000 = ₦25,000.00', minimum: 100, maximum: MAX_PAYMENT_KOBO })
  @Min(100)
  @Max(MAX_PAYMENT_KOBO)
  @IsInt()
  amount: number;

  @ApiProperty({ example: 'NGN', enum: ['NGN'] })
  @IsIn(['NGN'])
  currency: 'NGN';

  @ApiProperty({ example: 'ada@example.com', description: "Payer's email (Squad sends the receipt)" })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ description: 'Customer profile the premium is for; its IES client code is used for the autopost' })
  @IsOptional()
  @IsUUID()
  customerProfileId?: string;

  @ApiPropertyOptional({ description: 'Policy the premium pays for' })
  @IsOptional()
  @IsUUID()
  policyId?: string;

  @ApiPropertyOptional({ example: 'IES-000123', description: 'IES client code, when no customer profile carries it' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'clientCode must be 1-64 letters, digits or dashes' })
  clientCode?: string;

  @ApiPropertyOptional({ example: 'https://app.example.com/paid', description: 'Where Squad sends the payer after checkout' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^https?:\/\/\S+$/, { message: 'callbackUrl must be an http(s) URL' })
  callbackUrl?: string;
}
