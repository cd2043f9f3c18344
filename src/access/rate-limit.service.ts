import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { AuthenticatedClient, GatewayRequest } from '@app/common';
import { AppConfig } from '../config/app-config';
import { rateLimited } from './access.errors';

const WINDOW_MS = 60_000;
const REDIS_READY_TIMEOUT_MS = 3000;

interface Count {
  hits: number;
  resetSeconds: number;
}

/**
 * Requests per minute, counted in @nestjs/throttler's storage: in memory, or in Redis when
 * REDIS_URL is set (one atomic script per hit, shared by every replica). A window opens at a
 * key's first request and lasts a minute; a request is let through while the window's count
 * is within the limit as it is *now*, so a PATCH of rateLimitPerMinute applies to the very
 * next request. If the storage fails, requests are let through (logged): an outage of the
 * counters must not become an outage of the gateway.
 */
@Injectable()
export class RateLimitService implements OnModuleInit {
  private readonly logger = new Logger(RateLimitService.name);
  private lastWarnAt = 0;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!(this.storage instanceof ThrottlerStorageRedisService)) return;
    const redis = this.storage.redis;
    if (redis.status === 'ready') return;
    const timeout = AbortSignal.timeout(REDIS_READY_TIMEOUT_MS);
    await once(redis, 'ready', { signal: timeout }).catch(() =>
      this.logger.warn(`Redis (REDIS_URL) not ready after ${REDIS_READY_TIMEOUT_MS} ms; rate limits are off until it is`),
    );
  }

  /** Counts a request of an authenticated client, answers X-RateLimit-*, refuses past the limit. */
  async admitClient(client: AuthenticatedClient, res: ServerResponse): Promise<void> {
    const limit = client.rateLimitPerMinute;
    const count = await this.hit(`client:${client.id}`, limit);
    if (!count) return;
    res.setHeader('X-RateLimit-Limit', limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - count.hits));
    res.setHeader('X-RateLimit-Reset', count.resetSeconds);
    if (count.hits > limit) throw rateLimited(Math.max(1, count.resetSeconds));
  }

  /** Counts a failed authentication against the client IP; past AUTH_FAILURES_PER_MINUTE → 429. */
  async countAuthFailure(req: GatewayRequest): Promise<void> {
    const ip = normalizeIp(req.ip ?? req.socket?.remoteAddress ?? 'unknown');
    const limit = this.config.AUTH_FAILURES_PER_MINUTE;
    const count = await this.hit(`auth-failures:${ip}`, limit);
    if (count && count.hits > limit) throw rateLimited(Math.max(1, count.resetSeconds));
  }

  private async hit(key: string, limit: number): Promise<Count | null> {
    try {
      // blockDuration = the window: the Redis script wants a positive one; the decision is
      // ours (hits > limit), so its block flag is not used.
      const record = await this.storage.increment(`${this.config.REDIS_KEY_PREFIX}rl:${key}`, WINDOW_MS, limit, WINDOW_MS, 'minute');
      return { hits: record.totalHits, resetSeconds: record.timeToExpire };
    } catch (err) {
      const now = Date.now();
      if (now - this.lastWarnAt > 60_000) {
        this.lastWarnAt = now;
        this.logger.warn(`Rate-limit storage failed (${(err as Error).message}); letting requests through`);
      }
      return null;
    }
  }
}
