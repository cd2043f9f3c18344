import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { BVN_VERIFICATION_METHODS, type BvnVerificationMethod } from '../../providers/clients/mono.client';

export class StartBvnLookupDto {
  @ApiProperty({ example: '12345678901', description: 'The 11-digit BVN. Sent to Mono only; never stored or logged.' })
  @IsString({ message: 'bvn must be a string of 11 digits' })
  @Matches(/^\d{11}$/, { message: 'bvn must be exactly 11 digits' })
  bvn: string;
}

export class VerifyBvnLookupDto {
  @ApiProperty({ enum: BVN_VERIFICATION_METHODS, example: 'phone', description: 'One of the methods the lookup answered' })
  @IsIn(BVN_VERIFICATION_METHODS)
  method: BvnVerificationMethod;

  @ApiPropertyOptional({ example: '08031234567', description: 'Required with method alternate_phone' })
  @ValidateIf((dto: VerifyBvnLookupDto) => dto.method === 'alternate_phone' || dto.phoneNumber !== undefined)
  @IsString()
  @Matches(/^\+?\d{10,15}$/, { message: 'phoneNumber must be a phone number (10..15 digits, optional +); required with alternate_phone' })
  phoneNumber?: string;
}

export class BvnDetailsDto {
  @ApiProperty({ example: '123456', description: 'The OTP the BVN holder received' })
  @IsString()
  @Matches(/^\d{4,8}$/, { message: 'otp must be 4 to 8 digits' })
  otp: string;
}

export class BvnMethodResponse {
  @ApiProperty({ example: 'phone', description: 'Pass it to verify' })
  method: string;

  @ApiProperty({ example: 'A SMS with a verification code will be sent to phone number 0803****567' })
  hint: string;
}

export class BvnLookupResponse {
  @ApiProperty({ example: '74c8fe70-ea2c-458e-a99f-3f7a6061632c', description: "Mono's session id: pass it to verify and details" })
  session_id: string;

  @ApiProperty({ example: '*******8901', description: 'The BVN, masked' })
  bvn_masked: string;

  @ApiProperty({ type: [BvnMethodResponse], description: 'Where the BVN holder can receive the OTP' })
  methods: BvnMethodResponse[];
}

export class BvnVerifyResponse {
  @ApiProperty({ example: '74c8fe70-ea2c-458e-a99f-3f7a6061632c' })
  session_id: string;

  @ApiProperty({ example: 'phone' })
  method: string;

  @ApiProperty({ example: 'Please enter the OTP sent to you' })
  message: string;
}

export class BvnIdentityResponse {
  @ApiProperty({ example: 'Adaeze', nullable: true, type: String })
  first_name: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  middle_name: string | null;

  @ApiProperty({ example: 'Okafor', nullable: true, type: String })
  last_name: string | null;

  @ApiProperty({ example: '1990-04-12', nullable: true, type: String })
  date_of_birth: string | null;

  @ApiProperty({ example: 'Female', nullable: true, type: String })
  gender: string | null;

  @ApiProperty({ example: '08031234567', nullable: true, type: String })
  phone_number: string | null;

  @ApiProperty({ example: 'adaeze.okafor@example.com', nullable: true, type: String })
  email: string | null;

  @ApiProperty({ example: 'Nigeria', nullable: true, type: String })
  nationality: string | null;

  @ApiProperty({ example: 'Lagos', nullable: true, type: String })
  state_of_origin: string | null;

  @ApiProperty({ example: false, nullable: true, type: Boolean })
  watch_listed: boolean | null;
}
