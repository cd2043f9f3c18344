import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiGatewayTimeoutResponse, ApiNotFoundResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrorResponse, AppException, AuthenticatedClient, CurrentClient, RequireScopes } from '@app/common';
import { KycService } from './kyc.service';
import { UsesProviders } from '../providers/uses-providers.decorator';
import {
  BvnDetailsDto,
  BvnIdentityResponse,
  BvnLookupResponse,
  BvnVerifyResponse,
  StartBvnLookupDto,
  VerifyBvnLookupDto,
} from './dto/bvn-lookup.dto';

const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** Mono's session id as a path parameter: anything else is 400 INVALID_ID before Mono is asked. */
const SessionId = () =>
  Param('sessionId', {
    transform: (value: string) => {
      if (!SESSION_ID.test(value)) {
        throw new AppException('INVALID_ID', "Path parameter 'sessionId' must be a lookup session id", [
          { field: 'sessionId', message: 'must be the session_id a lookup answered' },
        ]);
      }
      return value;
    },
  });

@ApiTags('kyc')
@ApiBadGatewayResponse({ description: 'Mono failed or refused (PROVIDER_ERROR)', type: ApiErrorResponse })
@ApiGatewayTimeoutResponse({ description: 'Mono did not answer in time (PROVIDER_TIMEOUT)', type: ApiErrorResponse })
@ApiServiceUnavailableResponse({ description: 'Mono calls paused after repeated failures (PROVIDER_UNAVAILABLE)', type: ApiErrorResponse })
@UsesProviders('mono')
@Controller('kyc/bvn/lookups')
export class KycController {
  constructor(private readonly kyc: KycService) {}

  @Post()
  @RequireScopes('kyc:write')
  @ApiOperation({
    summary: 'Start a BVN lookup (Mono step 1): answers the session and where the OTP can be sent',
    description: 'The BVN must be 11 digits; it is checked before Mono is called (lookups are billed) and never stored or logged.',
  })
  @ApiEnvelope(BvnLookupResponse, { status: 201 })
  @ApiNotFoundResponse({ description: 'No identity for this BVN (NOT_FOUND)', type: ApiErrorResponse })
  start(@Body() dto: StartBvnLookupDto, @CurrentClient() caller: AuthenticatedClient): Promise<BvnLookupResponse> {
    return this.kyc.startBvnLookup(dto, caller);
  }

  @Post(':sessionId/verify')
  @HttpCode(200)
  @RequireScopes('kyc:write')
  @ApiOperation({ summary: 'Send the OTP by one of the lookup’s methods (Mono step 2)' })
  @ApiEnvelope(BvnVerifyResponse)
  @ApiNotFoundResponse({ description: 'Unknown or expired session (NOT_FOUND)', type: ApiErrorResponse })
  verify(
    @SessionId() sessionId: string,
    @Body() dto: VerifyBvnLookupDto,
    @CurrentClient() caller: AuthenticatedClient,
  ): Promise<BvnVerifyResponse> {
    return this.kyc.verifyBvnLookup(sessionId, dto, caller);
  }

  @Post(':sessionId/details')
  @HttpCode(200)
  @RequireScopes('kyc:read')
  @ApiOperation({ summary: 'The identity behind the BVN, for the OTP its holder received (Mono step 3)' })
  @ApiEnvelope(BvnIdentityResponse)
  @ApiNotFoundResponse({ description: 'Unknown or expired session (NOT_FOUND)', type: ApiErrorResponse })
  details(
    @SessionId() sessionId: string,
    @Body() dto: BvnDetailsDto,
    @CurrentClient() caller: AuthenticatedClient,
  ): Promise<BvnIdentityResponse> {
    return this.kyc.bvnDetails(sessionId, dto.otp, caller);
  }
}
