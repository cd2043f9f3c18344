import { Injectable, Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
} from 'cockatiel';
import { AppConfig } from '../config/app-config';
import { ProviderCallLog } from './provider-call-log.service';
import { ProviderCredentials, ProviderEndpoints, ProviderName, PROVIDERS } from './provider-endpoints.service';
import { PROVIDER_LABELS, ProviderException } from './providers.errors';
import { currentRequestId } from './request-scope';

export interface ProviderRequest {
  /** A stable name for the log, the errors and the filters, e.g. `receipts.post`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starting with `/`, segments already encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Safe to repeat: a read, or a write the provider de-duplicates (IES receipts by reference).
   * Only these are retried, with backoff, on 429, 5xx and failed connections.
   */
  idempotent: boolean;
  /** Non-2xx statuses that are answers rather than failures (e.g. 404 for an unknown id). */
  expectedStatuses?: readonly number[];
  /**
   * Whether an accepted answer has the shape the client reads; when not, the call fails as a
   * provider error (502) instead of breaking the client with a TypeError (a 500).
   */
  validate?: (body: unknown, status: number) => boolean;
}

export interface ProviderResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ProviderPing {
  ok: boolean;
  status: number | null;
}

/** How each provider wants its secret presented. */
const AUTH_HEADERS: Record<ProviderName, (secret: string) => Record<string, string>> = {
  ies: (secret) => ({ authorization: `Bearer ${secret}` }),
  squad: (secret) => ({ authorization: `Bearer ${secret}` }),
  mono: (secret) => ({ 'mono-sec-key': secret }),
};

/**
 * What a status ping asks for: no credentials, no side effect. A provider is reachable when it
 * answers below 500 (IES has a health route; Squad and Mono answer their API root).
 */
const PING_PATHS: Record<ProviderName, string> = { ies: '/health', squad: '/', mono: '/' };

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 1000;
/** Below this much budget left, another attempt is not worth starting. */
const MIN_ATTEMPT_BUDGET_MS = 50;

/** One attempt that did not produce an answer the operation accepts. */
class AttemptFailure extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'http' | 'invalid',
    readonly status: number | null,
    readonly reason: string,
    readonly body?: unknown,
  ) {
    super(reason);
  }

  /** Failures that say the provider is unwell: they count towards opening its circuit. */
  get countsAgainstProvider(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || (this.kind === 'http' && (this.status ?? 0) >= 500);
  }

  get retryable(): boolean {
    return this.kind === 'network' || (this.kind === 'http' && RETRYABLE_STATUSES.has(this.status ?? 0));
  }
}

/**
 * The one HTTP core every provider client uses. Per call: a deadline (the provider's timeout,
 * retries included), retries with jittered exponential backoff for operations safe to repeat,
 * the provider's circuit breaker, and one provider-call log row per attempt. Secrets come from
 * config and go into headers only; nothing here logs a header, a body or a query value.
 */
@Injectable()
export class ProviderHttp {
  private readonly logger = new Logger('Providers');
  private readonly breakers = {} as Record<ProviderName, CircuitBreakerPolicy>;
  private readonly openedAt = new Map<ProviderName, number>();
  private readonly timeouts: Record<ProviderName, number>;

  constructor(
    private readonly config: AppConfig,
    private readonly endpoints: ProviderEndpoints,
    private readonly credentials: ProviderCredentials,
    private readonly log: ProviderCallLog,
  ) {
    this.timeouts = { ies: config.IES_TIMEOUT_MS, squad: config.SQUAD_TIMEOUT_MS, mono: config.MONO_TIMEOUT_MS };
    for (const provider of PROVIDERS) {
      const breaker = circuitBreaker(
        handleWhen((err) => err instanceof AttemptFailure && err.countsAgainstProvider),
        { halfOpenAfter: config.PROVIDER_CIRCUIT_HALF_OPEN_MS, breaker: new ConsecutiveBreaker(config.PROVIDER_CIRCUIT_THRESHOLD) },
      );
      breaker.onBreak(() => {
        this.openedAt.set(provider, Date.now());
        this.logger.warn(
          `${PROVIDER_LABELS[provider]} circuit opened after ${config.PROVIDER_CIRCUIT_THRESHOLD} consecutive failures; ` +
            `calls refused for ${config.PROVIDER_CIRCUIT_HALF_OPEN_MS} ms`,
        );
      });
      breaker.onHalfOpen(() => this.logger.log(`${PROVIDER_LABELS[provider]} circuit half-open: trying one call`));
      breaker.onReset(() => this.logger.log(`${PROVIDER_LABELS[provider]} circuit closed: calls flow again`));
      this.breakers[provider] = breaker;
    }
  }

  /** The provider's circuit: `closed` (normal), `open` (refusing calls) or `half_open` (trying one). */
  circuitState(provider: ProviderName): 'closed' | 'open' | 'half_open' {
    const state = this.breakers[provider].state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half_open' : 'open';
  }

  timeoutMs(provider: ProviderName): number {
    return this.timeouts[provider];
  }

  /**
   * Calls a provider. Resolves with any 2xx (or expected) answer; otherwise rejects with a
   * {@link ProviderException}: 502 PROVIDER_ERROR, 504 PROVIDER_TIMEOUT or 503
   * PROVIDER_UNAVAILABLE. Never takes longer than the provider's timeout (plus the backoff
   * granularity), never rejects with anything else.
   */
  async request<T = unknown>(provider: ProviderName, req: ProviderRequest): Promise<ProviderResponse<T>> {
    const budgetMs = this.timeouts[provider];
    const deadline = Date.now() + budgetMs;
    const signal = AbortSignal.timeout(budgetMs);
    const requestId = currentRequestId();
    let attempt = 0;
    let lastFailure: AttemptFailure | undefined;

    const once = async (): Promise<ProviderResponse<T>> => {
      // The budget ran out during a backoff: report what the last attempt met.
      if (signal.aborted || deadline - Date.now() < MIN_ATTEMPT_BUDGET_MS) {
        throw lastFailure ?? new AttemptFailure('timeout', null, `timeout after ${budgetMs} ms`);
      }
      attempt += 1;
      try {
        return await this.attempt<T>(provider, req, signal, attempt, requestId, budgetMs);
      } catch (err) {
        if (err instanceof AttemptFailure) lastFailure = err;
        throw err;
      }
    };

    const breaker = this.breakers[provider];
    try {
      if (!req.idempotent || this.config.PROVIDER_MAX_RETRIES === 0) return await breaker.execute(once);
      const retries = retry(
        handleWhen((err) => err instanceof AttemptFailure && err.retryable),
        {
          maxAttempts: this.config.PROVIDER_MAX_RETRIES,
          // Jittered exponential backoff, never sleeping past the call's deadline.
          backoff: new DelegateBackoff<{ attempt: number }>(({ attempt: n }) => {
            const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (n - 1));
            const jittered = exponential / 2 + Math.random() * (exponential / 2);
            return Math.max(0, Math.min(jittered, deadline - Date.now() - MIN_ATTEMPT_BUDGET_MS));
          }),
        },
      );
      return await retries.execute(() => breaker.execute(once), signal);
    } catch (err) {
      throw this.toException(provider, req.operation, err, budgetMs);
    }
  }

  /**
   * Is the provider reachable? A GET without credentials, bounded by `timeoutMs`, logged like
   * every call, outside the circuit breaker (a status page must show the provider as it is).
   * Never rejects.
   */
  async ping(provider: ProviderName, timeoutMs: number): Promise<ProviderPing> {
    const started = Date.now();
    const url = `${this.endpoints.baseUrl(provider)}${PING_PATHS[provider]}`;
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal, redirect: 'manual' });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (status >= 500) error = `HTTP ${status}`;
    } catch (err) {
      error = signal.aborted ? `timeout after ${timeoutMs} ms` : networkReason(err);
    }
    const ok = status !== null && status < 500;
    this.log.record({
      provider,
      operation: 'ping',
      method: 'GET',
      url: safeUrl(url),
      status: ok ? 'ok' : 'failed',
      httpStatus: status,
      latencyMs: Date.now() - started,
      error,
      requestId: currentRequestId(),
      attempt: 1,
      createdAt: new Date(started),
    });
    return { ok, status };
  }

  private async attempt<T>(
    provider: ProviderName,
    req: ProviderRequest,
    signal: AbortSignal,
    attempt: number,
    requestId: string | null,
    budgetMs: number,
  ): Promise<ProviderResponse<T>> {
    const url = buildUrl(this.endpoints.baseUrl(provider), req.path, req.query);
    const started = Date.now();
    const record = (status: 'ok' | 'failed', httpStatus: number | null, error: string | null) =>
      this.log.record({
        provider,
        operation: req.operation,
        method: req.method,
        url: safeUrl(url),
        status,
        httpStatus,
        latencyMs: Date.now() - started,
        error,
        requestId,
        attempt,
        createdAt: new Date(started),
      });

    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: {
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(req.headers ?? {}),
          ...AUTH_HEADERS[provider](this.credentials.secret(provider)),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal,
        redirect: 'manual',
      });
      text = await res.text();
    } catch (err) {
      const failure = signal.aborted
        ? new AttemptFailure('timeout', null, `timeout after ${budgetMs} ms`)
        : new AttemptFailure('network', null, networkReason(err));
      record('failed', null, failure.reason);
      this.warn(provider, req.operation, attempt, failure.reason, requestId);
      throw failure;
    }

    let body: unknown = text;
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    if (isJson || /^\s*[{[]/.test(text)) {
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        if (isJson) {
          record('failed', res.status, 'answer is not valid JSON');
          this.warn(provider, req.operation, attempt, 'answer is not valid JSON', requestId);
          throw new AttemptFailure('invalid', res.status, 'answer is not valid JSON');
        }
      }
    }
    const accepted = (res.status >= 200 && res.status < 300) || !!req.expectedStatuses?.includes(res.status);
    if (accepted && req.validate && !req.validate(body, res.status)) {
      record('failed', res.status, 'unexpected answer');
      this.warn(provider, req.operation, attempt, 'unexpected answer', requestId);
      throw new AttemptFailure('invalid', res.status, 'unexpected answer');
    }
    if (accepted) {
      record('ok', res.status, null);
      return { status: res.status, body: body as T, headers: res.headers };
    }
    const reason = `HTTP ${res.status}`;
    record('failed', res.status, reason);
    this.warn(provider, req.operation, attempt, reason, requestId);
    throw new AttemptFailure('http', res.status, reason, body);
  }

  private toException(provider: ProviderName, operation: string, err: unknown, budgetMs: number): ProviderException {
    const label = PROVIDER_LABELS[provider];
    if (err instanceof ProviderException) return err;
    if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
      const openedAt = this.openedAt.get(provider) ?? Date.now();
      const waitMs = Math.max(1000, this.config.PROVIDER_CIRCUIT_HALF_OPEN_MS - (Date.now() - openedAt));
      return new ProviderException(
        provider,
        operation,
        'unavailable',
        `${label} is unavailable after repeated failures; calls are paused, retry later`,
        null,
        undefined,
        { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
      );
    }
    if (err instanceof AttemptFailure) {
      switch (err.kind) {
        case 'timeout':
          return new ProviderException(provider, operation, 'timeout', `${label} did not answer within ${budgetMs} ms (${operation})`);
        case 'network':
          return new ProviderException(provider, operation, 'error', `${label} could not be reached: ${err.reason} (${operation})`);
        case 'invalid':
          return new ProviderException(provider, operation, 'error', `${label} sent an answer the gateway cannot read: ${err.reason} (${operation})`, err.status);
        case 'http':
          return (err.status ?? 0) >= 500 || err.status === 429
            ? new ProviderException(provider, operation, 'error', `${label} answered HTTP ${err.status} (${operation})`, err.status, err.body)
            : new ProviderException(provider, operation, 'rejected', `${label} refused the request: HTTP ${err.status} (${operation})`, err.status, err.body);
      }
    }
    // A bug of ours on the way out; still the caller's answer is a provider error, not a 500.
    this.logger.error({ err, provider, operation }, 'Unexpected error calling a provider');
    return new ProviderException(provider, operation, 'error', `${label} call failed (${operation})`);
  }

  private warn(provider: ProviderName, operation: string, attempt: number, reason: string, requestId: string | null): void {
    this.logger.warn({ provider, operation, attempt, requestId }, `${PROVIDER_LABELS[provider]} ${operation} failed: ${reason}`);
  }
}

function buildUrl(base: string, path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(name, value);
  const search = params.size ? `?${params}` : '';
  return `${base}${path}${search}`;
}

/** The URL as it may be stored: no user/password, query values masked (they may be personal data). */
export function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    const masked = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`);
    url.search = masked.length ? `?${masked.join('&')}` : '';
    url.hash = '';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Why a connection failed, from the error code only (messages may carry addresses or more). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return `connection dropped (${code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `no answer (${code})`;
    default:
      return code ? `network error (${code})` : 'network error';
  }
}
