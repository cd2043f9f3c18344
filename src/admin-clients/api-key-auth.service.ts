import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeyVerifier, AuthenticatedClient, digestsEqual, hashApiKey, isWellFormedApiKey } from '@app/common';
import { AppConfig } from '../config/app-config';

interface CachedKey {
  client: AuthenticatedClient;
  hash: Buffer;
  /** When the key itself stops working (rotation grace), epoch ms; null = no expiry. */
  expiresAt: number | null;
  cachedAt: number;
}

interface KeyRow {
  key_id: string;
  key_prefix: string;
  key_hash: Buffer | Uint8Array;
  expires_at: Date | null;
  id: string;
  name: string;
  environment: 'live' | 'test';
  scopes: string[];
  rate_limit_per_minute: number;
  monthly_quota: number | null;
  allowed_origins: string[];
}

/** Channel on which replicas tell each other that a client changed. */
export const CLIENT_CHANGED_CHANNEL = 'capex_api_client_changed';
const MAX_CACHED_KEYS = 10_000;

/**
 * Checks presented keys. A key verified in the last KEY_CACHE_TTL_MS is answered from memory
 * (no database round trip on the hot path); every change to a client drops its entries here
 * at once and, through PostgreSQL NOTIFY, on the other replicas.
 */
@Injectable()
export class ApiKeyAuthService implements ApiKeyVerifier, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyAuthService.name);
  private readonly cache = new Map<string, CachedKey>();
  /** Bumped by every invalidation: a lookup that raced with a change must not be cached. */
  private generation = 0;
  private listener?: PgClient;
  private readonly changeListeners: Array<() => void> = [];
  /** Lookups under way, so a burst with one uncached key costs one query, not hundreds. */
  private readonly inFlight = new Map<string, Promise<AuthenticatedClient | null>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async verify(presentedKey: string): Promise<AuthenticatedClient | null> {
    if (!isWellFormedApiKey(presentedKey)) return null;
    const hash = hashApiKey(presentedKey);
    const cacheKey = hash.toString('base64');
    const now = Date.now();

    const hit = this.cache.get(cacheKey);
    if (hit && now - hit.cachedAt < this.config.KEY_CACHE_TTL_MS) {
      if (hit.expiresAt !== null && hit.expiresAt <= now) {
        this.cache.delete(cacheKey);
        return null;
      }
      return digestsEqual(hit.hash, hash) ? hit.client : null;
    }

    const pending = this.inFlight.get(cacheKey);
    if (pending) return pending;
    const lookup: Promise<AuthenticatedClient | null> = this.lookup(hash, cacheKey, now).finally(() => {
      if (this.inFlight.get(cacheKey) === lookup) this.inFlight.delete(cacheKey);
    });
    this.inFlight.set(cacheKey, lookup);
    return lookup;
  }

  private async lookup(hash: Buffer, cacheKey: string, now: number): Promise<AuthenticatedClient | null> {
    const generation = this.generation;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT k.id AS key_id, k.key_prefix, k.key_hash, k.expires_at,
              c.id, c.name, c.environment, c.scopes, c.rate_limit_per_minute, c.monthly_quota, c.allowed_origins
         FROM api_keys k JOIN api_clients c ON c.id = k.api_client_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL
          AND (k.expires_at IS NULL OR k.expires_at > now())
          AND c.status = 'active'`,
      [hash],
    );
    const row = rows[0];
    if (!row || !digestsEqual(Buffer.from(row.key_hash), hash)) {
      this.cache.delete(cacheKey);
      return null;
    }
    const client: AuthenticatedClient = {
      id: row.id,
      name: row.name,
      environment: row.environment,
      scopes: row.scopes,
      rateLimitPerMinute: row.rate_limit_per_minute,
      monthlyQuota: row.monthly_quota,
      allowedOrigins: row.allowed_origins,
      keyId: row.key_id,
      keyPrefix: row.key_prefix,
    };
    if (generation === this.generation && this.config.KEY_CACHE_TTL_MS > 0) {
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cacheKey, {
        client,
        hash,
        expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
        cachedAt: now,
      });
    }
    return client;
  }

  /**
   * The client of a key verified in the last KEY_CACHE_TTL_MS, from memory only: null when the
   * key is not cached. For bookkeeping off the request path, never for letting a request in.
   */
  peek(presentedKey: string): AuthenticatedClient | null {
    if (!isWellFormedApiKey(presentedKey)) return null;
    const hash = hashApiKey(presentedKey);
    const hit = this.cache.get(hash.toString('base64'));
    const now = Date.now();
    if (!hit || now - hit.cachedAt >= this.config.KEY_CACHE_TTL_MS) return null;
    if (hit.expiresAt !== null && hit.expiresAt <= now) return null;
    return hit.client;
  }

  /** Called whenever cached client data is dropped here (a change on this or another replica). */
  onClientsChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** Forget every cached key of a client here; call after the change has committed. */
  invalidateClient(clientId: string): void {
    this.generation++;
    this.inFlight.clear(); // a lookup started before the change must not answer later requests
    for (const [key, entry] of this.cache) {
      if (entry.client.id === clientId) this.cache.delete(key);
    }
    this.changeListeners.forEach((listener) => listener());
  }

  /** Forget every cached key (after a change whose extent is unknown, e.g. a lost listener). */
  invalidateAll(): void {
    this.generation++;
    this.inFlight.clear();
    this.cache.clear();
    this.changeListeners.forEach((listener) => listener());
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.DATABASE_URL) return; // embedded database: one process, nothing to hear
    const listener = new PgClient({ connectionString: this.config.DATABASE_URL, application_name: 'capex-gateway-listen' });
    listener.on('notification', (msg) => {
      if (msg.channel === CLIENT_CHANGED_CHANNEL && msg.payload) this.invalidateClient(msg.payload);
    });
    listener.on('error', (err) => {
      // Without the listener, other replicas' changes reach us only when cache entries age out.
      this.logger.warn(`Key-cache listener lost (${err.message}); falling back to the ${this.config.KEY_CACHE_TTL_MS} ms TTL`);
      this.invalidateAll();
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CLIENT_CHANGED_CHANNEL}`);
      this.listener = listener;
    } catch (err) {
      this.logger.warn(`Could not LISTEN for client changes: ${(err as Error).message}`);
      await listener.end().catch(() => undefined);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
  }
}
