import { plainToInstance, Transform } from 'class-transformer';
import {
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  getMetadataStorage,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
} from 'class-validator';
import { API_KEY_PATTERN } from '@app/common';

/** A hand-typed key such as capex_live_aaaa_aaaa… passes the pattern but is guessable. */
@ValidatorConstraint({ name: 'hasEnoughDistinctCharacters' })
class HasEnoughDistinctCharacters implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return true;
    const secret = value.split('_')[3] ?? '';
    return new Set(secret).size >= 12;
  }
  defaultMessage(): string {
    return 'ADMIN_BOOTSTRAP_KEY has too little randomness; generate one with: npm run -s cli -- generate-key';
  }
}

const toInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value));
const emptyToUndefined = () => Transform(({ value }) => (value === '' ? undefined : value));
const PROVIDER_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const providerUrlMessage = (name: string) =>
  `${name} must be an http(s) URL (required when PROVIDER_SIMULATORS=off; unset uses the built-in simulator)`;

/**
 * The gateway's whole environment, validated once at start. Anything invalid stops the
 * process with a message naming the variable. Read it through the injected AppConfig, never
 * through process.env.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @toInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** postgres://… — unset: the embedded PostgreSQL (PGlite) under DATA_DIR. */
  @emptyToUndefined()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded database keeps its files; `memory://` keeps nothing (tests). */
  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  /** First admin key, created at start when no API client exists yet. */
  @emptyToUndefined()
  @IsOptional()
  @Matches(API_KEY_PATTERN, {
    message: 'ADMIN_BOOTSTRAP_KEY must look like capex_live_abcd_<32+ letters/digits> (try: npm run cli -- generate-key)',
  })
  @Validate(HasEnoughDistinctCharacters)
  ADMIN_BOOTSTRAP_KEY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** How many proxy hops (e.g. the Kubernetes ingress) may set X-Forwarded-For. 0 = none. */
  @toInt()
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY = 0;

  /** On SIGTERM, how long readiness answers 503 before the server stops taking requests. */
  @toInt()
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_DELAY_MS = 5000;

  /** How long a verified key is trusted from memory (changes made here invalidate at once). */
  @toInt()
  @IsInt()
  @Min(0)
  @Max(60000)
  KEY_CACHE_TTL_MS = 5000;

  // Providers. A provider whose base URL is unset is served by its built-in simulator on a
  // loopback port (PROVIDER_SIMULATORS=auto), so the gateway runs and is tested offline.

  /** `auto`: simulate providers without a base URL; `off`: every base URL is required. */
  @IsIn(['auto', 'off'])
  PROVIDER_SIMULATORS: 'auto' | 'off' = 'auto';

  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.PROVIDER_SIMULATORS === 'off' || c.IES_BASE_URL !== undefined)
  @IsUrl(PROVIDER_URL, { message: providerUrlMessage('IES_BASE_URL') })
  IES_BASE_URL?: string;

  /** Sent as `Authorization: Bearer …`. Unset with a simulator: a random per-process key. */
  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' && c.IES_BASE_URL !== undefined)
  @IsString()
  @MinLength(1, { message: 'IES_API_KEY is required in production when IES_BASE_URL is set' })
  IES_API_KEY?: string;

  /** Budget for one IES call, retries included. */
  @toInt()
  @IsInt()
  @Min(100)
  @Max(120000)
  IES_TIMEOUT_MS = 5000;

  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.PROVIDER_SIMULATORS === 'off' || c.SQUAD_BASE_URL !== undefined)
  @IsUrl(PROVIDER_URL, { message: providerUrlMessage('SQUAD_BASE_URL') })
  SQUAD_BASE_URL?: string;

  /** Squad secret key: `Authorization: Bearer …` and the webhook signature's HMAC key. */
  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' && c.SQUAD_BASE_URL !== undefined)
  @IsString()
  @MinLength(1, { message: 'SQUAD_SECRET_KEY is required in production when SQUAD_BASE_URL is set' })
  SQUAD_SECRET_KEY?: string;

  @toInt()
  @IsInt()
  @Min(100)
  @Max(120000)
  SQUAD_TIMEOUT_MS = 8000;

  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.PROVIDER_SIMULATORS === 'off' || c.MONO_BASE_URL !== undefined)
  @IsUrl(PROVIDER_URL, { message: providerUrlMessage('MONO_BASE_URL') })
  MONO_BASE_URL?: string;

  /** Sent as `mono-sec-key`. */
  @emptyToUndefined()
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' && c.MONO_BASE_URL !== undefined)
  @IsString()
  @MinLength(1, { message: 'MONO_SECRET_KEY is required in production when MONO_BASE_URL is set' })
  MONO_SECRET_KEY?: string;

  @toInt()
  @IsInt()
  @Min(100)
  @Max(120000)
  MONO_TIMEOUT_MS = 10000;

  /** Extra attempts for calls that are safe to repeat (reads, idempotent receipt posting). */
  @toInt()
  @IsInt()
  @Min(0)
  @Max(5)
  PROVIDER_MAX_RETRIES = 2;

  /** Consecutive failures (5xx, timeouts, network errors) that open a provider's circuit. */
  @toInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  PROVIDER_CIRCUIT_THRESHOLD = 5;

  /** How long an open circuit refuses calls before letting one trial call through. */
  @toInt()
  @IsInt()
  @Min(100)
  @Max(600000)
  PROVIDER_CIRCUIT_HALF_OPEN_MS = 30000;

  /** Each ping of GET /v1/admin/providers/status answers within this long. */
  @toInt()
  @IsInt()
  @Min(100)
  @Max(30000)
  PROVIDER_STATUS_TIMEOUT_MS = 2000;

  /** Where Squad sends the payer's browser after checkout, when a payment names none. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  PAYMENT_CALLBACK_URL = 'http://localhost:3000/payment-complete';

  /** How many times the background worker tries a failed IES autopost before leaving it to operators. */
  @toInt()
  @IsInt()
  @Min(1)
  @Max(50)
  AUTOPOST_MAX_ATTEMPTS = 5;

  /** First retry delay of a failed autopost; doubles per attempt (capped at 1 h). */
  @toInt()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  AUTOPOST_BACKOFF_MS = 30000;

  /** How often the autopost worker looks for due retries; 0 turns the worker off. */
  @toInt()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  AUTOPOST_WORKER_INTERVAL_MS = 15000;

  /** Daily reconciliation run at this UTC time (HH:MM); unset = no schedule. */
  @emptyToUndefined()
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'RECONCILIATION_DAILY_AT must be HH:MM (UTC), e.g. 23:30' })
  RECONCILIATION_DAILY_AT?: string;

  /** redis://… — set: rate-limit counters shared by every replica; unset: counted in memory. */
  @emptyToUndefined()
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of every key the gateway writes to Redis (several gateways may share one Redis). */
  @Matches(/^[A-Za-z0-9:_.-]{1,100}$/, { message: 'REDIS_KEY_PREFIX must be 1..100 of A-Z a-z 0-9 : _ . -' })
  REDIS_KEY_PREFIX = 'capex:';

  /** Failed authentications (missing or bad key) allowed per client IP and minute. */
  @toInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURES_PER_MINUTE = 20;

  /** How often buffered request-log rows are written (a request never waits for its row). */
  @toInt()
  @IsInt()
  @Min(10)
  @Max(60000)
  REQUEST_LOG_FLUSH_MS = 200;

  /** How long an Idempotency-Key is remembered. */
  @toInt()
  @IsInt()
  @Min(1)
  @Max(604800)
  IDEMPOTENCY_TTL_SECONDS = 86400;

  /** How often expired idempotency records lose their stored answers (and old ones are deleted). */
  @toInt()
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  IDEMPOTENCY_SWEEP_MS = 600000;

  /** How often this replica adds its request counts to the monthly usage and reads the others'. */
  @toInt()
  @IsInt()
  @Min(50)
  @Max(60000)
  USAGE_SYNC_MS = 1000;

  /** Request-log and provider-call rows older than this many days are deleted (0 = keep forever). */
  @toInt()
  @Min(0)
  @Max(3650)
  @IsInt()
  RECORDS_RETENTION_DAYS = 90;

  /** How often old request-log and provider-call rows are swept. */
  @toInt()
  @Min(0)
  @Max(86_400_000)
  @IsInt()
  RECORDS_SWEEP_INTERVAL_MS = 3_600_000;

  get usesEmbeddedDatabase(): boolean {
    return !this.DATABASE_URL;
  }
}

export class ConfigError extends Error {}

/** Validates an environment (process.env by default) into an AppConfig, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AppConfig, '', true, false)
      .map((m) => m.propertyName),
  );
  const picked: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { whitelist: false });
  if (errors.length) {
    const lines = errors.map((e) => {
      const shown = e.property.includes('KEY') || e.property.includes('URL') ? '(value hidden)' : JSON.stringify(e.value);
      return `  ${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
