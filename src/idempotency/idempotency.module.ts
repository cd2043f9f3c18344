import { Module } from '@nestjs/common';
import { IdempotencyController } from './idempotency.controller';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';

/**
 * Idempotency-Key on every POST and PATCH under /v1, and its admin listing. The interceptor is
 * installed by configureApp, inside the envelope interceptor, so it keeps and replays the
 * handler's data.
 */
@Module({
  controllers: [IdempotencyController],
  providers: [IdempotencyService, IdempotencyInterceptor],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
