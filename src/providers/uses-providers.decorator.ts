import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { AppException, ApiErrorResponse, GatewayRequest } from '@app/common';
import { ProviderEndpoints, ProviderName } from './provider-endpoints.service';
import { PROVIDER_LABELS } from './providers.errors';

const USES_PROVIDERS = 'capex:usesProviders';

/**
 * Guards routes that call providers: a `test` key must never reach a real provider (real
 * charges, real receipts, billed lookups). Test keys work where the provider is simulated;
 * against real providers they are refused until per-environment provider settings exist.
 */
@Injectable()
export class ProviderEnvironmentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly endpoints: ProviderEndpoints,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const providers = this.reflector.getAllAndOverride<ProviderName[]>(USES_PROVIDERS, [context.getHandler(), context.getClass()]) ?? [];
    const client = context.switchToHttp().getRequest<GatewayRequest>().apiClient;
    if (client?.environment !== 'test') return true;
    const real = providers.filter((p) => !this.endpoints.isSimulated(p));
    if (real.length) {
      throw new AppException(
        'ENVIRONMENT_NOT_ALLOWED',
        `Test keys cannot reach the live ${real.map((p) => PROVIDER_LABELS[p]).join(' and ')}; use a live key`,
      );
    }
    return true;
  }
}

/** Declares the providers a route calls (and applies the test-environment guard). */
export function UsesProviders(...providers: ProviderName[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(USES_PROVIDERS, providers),
    UseGuards(ProviderEnvironmentGuard),
    ApiForbiddenResponse({ description: 'A test key on a route whose provider is live (ENVIRONMENT_NOT_ALLOWED)', type: ApiErrorResponse }),
  );
}
