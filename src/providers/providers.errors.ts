import { AppException, ErrorCode } from '@app/common';
import type { ProviderName } from './provider-endpoints.service';

/**
 * How a provider call failed:
 * - `error`: the provider answered 5xx, or the connection failed (refused, reset, DNS);
 * - `rejected`: the provider answered a 4xx the operation does not expect (its `providerCode`
 *   and `body` say why; callers may turn some into their own answers);
 * - `timeout`: no answer within the provider's timeout;
 * - `unavailable`: the provider's circuit is open; the call was not made.
 */
export type ProviderFailure = 'error' | 'rejected' | 'timeout' | 'unavailable';

const CODES: Record<ProviderFailure, ErrorCode> = {
  error: 'PROVIDER_ERROR',
  rejected: 'PROVIDER_ERROR',
  timeout: 'PROVIDER_TIMEOUT',
  unavailable: 'PROVIDER_UNAVAILABLE',
};

export const PROVIDER_LABELS: Record<ProviderName, string> = { ies: 'IES', squad: 'Squad', mono: 'Mono' };

/**
 * A failed provider call as callers see it: 502 PROVIDER_ERROR, 504 PROVIDER_TIMEOUT or 503
 * PROVIDER_UNAVAILABLE, naming the provider and operation. The provider's answer (`body`) is
 * kept for the calling service and never rendered: it may hold personal data.
 */
export class ProviderException extends AppException {
  constructor(
    readonly provider: ProviderName,
    readonly operation: string,
    readonly failure: ProviderFailure,
    message: string,
    readonly httpStatus: number | null = null,
    readonly body: unknown = undefined,
    headers?: Record<string, string>,
  ) {
    super(
      CODES[failure],
      message,
      [{ message, provider, operation, ...(httpStatus !== null ? { http_status: httpStatus } : {}) }],
      headers,
    );
  }

  /** The provider's own error code when its answer carries one (IES `error.code`). */
  get providerCode(): string | undefined {
    const code = (this.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    return typeof code === 'string' ? code : undefined;
  }
}
