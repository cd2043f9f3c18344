import { Injectable } from '@nestjs/common';
import { MonoClient } from '../providers/clients/mono.client';
import { ProviderException } from '../providers/providers.errors';
import { BvnIdentityResponse, BvnLookupResponse, BvnVerifyResponse, StartBvnLookupDto, VerifyBvnLookupDto } from './dto/bvn-lookup.dto';
import { bvnNotFound, bvnRefused, lookupNotFound, methodRefused, otpRefused } from './kyc.errors';

/**
 * BVN lookups through Mono, stateless: Mono keeps the session, the partner keeps its id. The
 * BVN is validated before the (billed) lookup starts, and is never stored, logged or answered
 * back except masked.
 */
@Injectable()
export class KycService {
  constructor(private readonly mono: MonoClient) {}

  async startBvnLookup(dto: StartBvnLookupDto): Promise<BvnLookupResponse> {
    const session = await this.mono.initiateBvnLookup(dto.bvn).catch(refusal({ 404: bvnNotFound, 400: bvnRefused }));
    return { session_id: session.sessionId, bvn_masked: maskBvn(dto.bvn), methods: session.methods };
  }

  async verifyBvnLookup(sessionId: string, dto: VerifyBvnLookupDto): Promise<BvnVerifyResponse> {
    const answer = await this.mono
      .verifyBvnLookup(sessionId, dto.method, dto.phoneNumber)
      .catch(refusal({ 404: lookupNotFound, 400: methodRefused }));
    return { session_id: sessionId, method: dto.method, message: answer.message };
  }

  async bvnDetails(sessionId: string, otp: string): Promise<BvnIdentityResponse> {
    const id = await this.mono.getBvnDetails(sessionId, otp).catch(refusal({ 404: lookupNotFound, 400: otpRefused }));
    return {
      first_name: id.firstName,
      middle_name: id.middleName,
      last_name: id.lastName,
      date_of_birth: id.dateOfBirth,
      gender: id.gender,
      phone_number: id.phoneNumber,
      email: id.email,
      nationality: id.nationality,
      state_of_origin: id.stateOfOrigin,
      watch_listed: id.watchListed,
    };
  }
}

export function maskBvn(bvn: string): string {
  return `${'*'.repeat(bvn.length - 4)}${bvn.slice(-4)}`;
}

/** Mono's refusals that are the caller's business become our own answers; the rest pass as 502/503/504. */
function refusal(map: Record<number, () => Error>) {
  return (err: unknown): never => {
    if (err instanceof ProviderException && err.failure === 'rejected' && err.httpStatus !== null && map[err.httpStatus]) {
      throw map[err.httpStatus]();
    }
    throw err;
  };
}
