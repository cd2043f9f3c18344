import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { IesClient } from './clients/ies.client';
import { MonoClient } from './clients/mono.client';
import { SquadClient } from './clients/squad.client';
import { ProviderCallLog } from './provider-call-log.service';
import { ProviderCredentials, ProviderEndpoints } from './provider-endpoints.service';
import { ProviderHttp } from './provider-http.service';
import { ProvidersController } from './providers.controller';
import { ProvidersStatusService } from './providers-status.service';
import { RequestScopeMiddleware } from './request-scope';

/**
 * The upstream providers: typed clients for IES, Squad and Mono over one HTTP core (timeouts,
 * safe retries, a circuit breaker each, the provider-call log), and the built-in simulators
 * standing in for any provider without a base URL.
 */
@Module({
  controllers: [ProvidersController],
  providers: [ProviderCredentials, ProviderEndpoints, ProviderCallLog, ProviderHttp, ProvidersStatusService, IesClient, SquadClient, MonoClient],
  exports: [IesClient, SquadClient, MonoClient, ProviderEndpoints],
})
export class ProvidersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every request gets a scope, so provider calls know which request caused them.
    consumer.apply(RequestScopeMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
