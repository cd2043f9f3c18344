import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ACCESS_POLICY } from '@app/common';
import { AppConfig } from '../config/app-config';
import { AccessPolicyService } from './access-policy.service';
import { FixedWindowMemoryStorage } from './fixed-window.storage';
import { RateLimitService } from './rate-limit.service';
import { UsageService } from './usage.service';

/**
 * What a valid key may do beyond its scopes: requests per minute, requests per month and the
 * browser origins it may be used from; plus the per-IP limit on failed authentication. The
 * API-key guard calls it through ACCESS_POLICY.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [],
        storage: config.REDIS_URL
          ? new ThrottlerStorageRedisService(config.REDIS_URL, {
              // Fail fast instead of queueing while Redis is away: the limits fail open then.
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
              commandTimeout: 1000,
              connectionName: 'capex-gateway',
            })
          : new FixedWindowMemoryStorage(),
      }),
    }),
  ],
  providers: [
    RateLimitService,
    UsageService,
    AccessPolicyService,
    { provide: ACCESS_POLICY, useExisting: AccessPolicyService },
  ],
  exports: [UsageService, ACCESS_POLICY],
})
export class AccessModule {}
