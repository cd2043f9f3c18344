import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedClient } from '@app/common';
import { MonoClient } from '../providers/clients/mono.client';
import { ProviderException } from '../providers/providers.errors';
import { BvnIdentityResponse, BvnLookupResponse, BvnVerifyResponse, StartBvnLookupDto, VerifyBvnLookupDto } from './dto/bvn-lookup.dto';
import { bvnNotFound, bvnRefused, lookupNotFound, methodRefused, otpRefused } from './kyc.errors';

/** How long a lookup's session may be continued by the client that started it. */
const SESSION_MINUTES = 30;

/**
 * BVN lookups through Mono: Mono keeps the session; the gateway remembers only which client
 * started it (a hash of the session id), so no other client can continue it or read the
 * identity. The BVN is validated before the (billed) lookup starts, and is never stored,
 * logged or answered back except masked.
 */
@Injectable()
export class KycService {
  constructor(
    private readonly mono: MonoClient,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async startBvnLookup(dto: StartBvnLookupDto, caller: AuthenticatedClient): Promise<BvnLookupResponse> {
    const session = await this.mono.initiateBvnLookup(dto.bvn).catch(refusal({ 404: bvnNotFound, 400: bvnRefused }));
    await this.dataSource.query(
      `INSERT INTO kyc_sessions (session_hash, api_client_id, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3)) ON CONFLICT (session_hash) DO NOTHING`,
      [sessionHash(session.sessionId), caller.id, SESSION_MINUTES],
    );
    return { session_id: session.sessionId, bvn_masked: maskBvn(dto.bvn), methods: session.methods };
  }

  async verifyBvnLookup(sessionId: string, dto: VerifyBvnLookupDto, caller: AuthenticatedClient): Promise<BvnVerifyResponse> {
    await this.assertOwnSession(sessionId, caller);
    const answer = await this.mono
      .verifyBvnLookup(sessionId, dto.method, dto.phoneNumber)
      .catch(refusal({ 404: lookupNotFound, 400: methodRefused }));
    return { session_id: sessionId, method: dto.method, message: answer.message };
  }

  async bvnDetails(sessionId: string, otp: string, caller: AuthenticatedClient): Promise<BvnIdentityResponse> {
    await this.assertOwnSession(sessionId, caller);
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

  /** Another client's session, or an expired one, is as unknown as a made-up id. */
  private async assertOwnSession(sessionId: string, caller: AuthenticatedClient): Promise<void> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM kyc_sessions WHERE session_hash = $1 AND api_client_id = $2 AND expires_at > now()`,
      [sessionHash(sessionId), caller.id],
    );
    if (!rows.length) throw lookupNotFound();
  }
}

function sessionHash(sessionId: string): Buffer {
  return createHash('sha256').update(sessionId, 'utf8').digest();
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
