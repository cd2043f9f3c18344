import { Injectable } from '@nestjs/common';
import { ProviderHttp } from '../provider-http.service';

export type BvnVerificationMethod = 'email' | 'phone' | 'phone_1' | 'alternate_phone';
export const BVN_VERIFICATION_METHODS: readonly BvnVerificationMethod[] = ['email', 'phone', 'phone_1', 'alternate_phone'];

export interface BvnLookupSession {
  sessionId: string;
  /** How the BVN holder can receive the OTP; hints are masked by Mono. */
  methods: Array<{ method: string; hint: string }>;
}

/** The identity behind a BVN. The BVN itself is not part of it: callers never need it back. */
export interface BvnIdentity {
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
  phoneNumber: string | null;
  email: string | null;
  nationality: string | null;
  stateOfOrigin: string | null;
  watchListed: boolean | null;
}

interface MonoAnswer<T> {
  status: string;
  message?: string;
  data: T;
}

/**
 * Mono's BVN lookup, in its three steps. Each step is billable or sends an OTP, so none is
 * retried. Mono's refusals (unknown BVN or session, wrong OTP) reject with a ProviderException
 * of failure `rejected` and Mono's HTTP status, for the caller to turn into its own answer.
 */
@Injectable()
export class MonoClient {
  constructor(private readonly http: ProviderHttp) {}

  /** Step 1: starts a lookup for an 11-digit BVN (validate it before: this call is billed). */
  async initiateBvnLookup(bvn: string, scope: 'identity' | 'bank_accounts' = 'identity'): Promise<BvnLookupSession> {
    const res = await this.http.request<MonoAnswer<{ session_id: string; methods: Array<{ method: string; hint: string }> }>>('mono', {
      operation: 'bvn.initiate',
      method: 'POST',
      path: '/v2/lookup/bvn/initiate',
      body: { bvn, scope },
      idempotent: false,
      validate: (body) => {
        const data = (body as MonoAnswer<{ session_id?: unknown; methods?: unknown }> | null)?.data;
        return typeof data?.session_id === 'string' && Array.isArray(data.methods);
      },
    });
    return {
      sessionId: res.body.data.session_id,
      methods: res.body.data.methods.map((m) => ({ method: String(m.method), hint: String(m.hint ?? '') })),
    };
  }

  /** Step 2: has Mono send the OTP by one of the session's methods. */
  async verifyBvnLookup(sessionId: string, method: BvnVerificationMethod, phoneNumber?: string): Promise<{ message: string }> {
    const res = await this.http.request<MonoAnswer<unknown>>('mono', {
      operation: 'bvn.verify',
      method: 'POST',
      path: '/v2/lookup/bvn/verify',
      headers: { 'x-session-id': sessionId },
      body: { method, ...(phoneNumber ? { phone_number: phoneNumber } : {}) },
      idempotent: false,
    });
    return { message: typeof res.body?.message === 'string' ? res.body.message : 'OTP sent' };
  }

  /** Step 3: the identity, for the OTP the BVN holder received. */
  async getBvnDetails(sessionId: string, otp: string): Promise<BvnIdentity> {
    const res = await this.http.request<MonoAnswer<Record<string, unknown>>>('mono', {
      operation: 'bvn.details',
      method: 'POST',
      path: '/v2/lookup/bvn/details',
      headers: { 'x-session-id': sessionId },
      body: { otp },
      idempotent: false,
      validate: (body) => {
        const data = (body as MonoAnswer<unknown> | null)?.data;
        return !!data && typeof data === 'object';
      },
    });
    const d = res.body.data;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      firstName: text(d.first_name),
      middleName: text(d.middle_name),
      lastName: text(d.last_name),
      dateOfBirth: text(d.dob),
      gender: text(d.gender),
      phoneNumber: text(d.phone_number),
      email: text(d.email),
      nationality: text(d.nationality),
      stateOfOrigin: text(d.state_of_origin),
      watchListed: typeof d.watch_listed === 'string' ? d.watch_listed.toUpperCase() === 'YES' : null,
    };
  }
}
