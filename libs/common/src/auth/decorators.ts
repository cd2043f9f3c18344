import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiErrorResponse } from '../swagger/api-error';
import type { GatewayRequest, AuthenticatedClient } from '../http/request-context';
import type { Scope } from './scopes';

export const IS_PUBLIC = 'capex:isPublic';
export const REQUIRED_SCOPES = 'capex:requiredScopes';
export const API_KEY_SECURITY = 'x-api-key';

/** No API key needed (health probes, the Squad webhook). Everything else is denied by default. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(IS_PUBLIC, true));
}

/**
 * The scopes a route needs. Also writes the route's Swagger security entry, so the docs
 * always say what the guard enforces. With no scopes: any valid key.
 */
export function RequireScopes(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiSecurity(API_KEY_SECURITY, scopes),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, suspended or revoked key (UNAUTHENTICATED)', type: ApiErrorResponse }),
    ...(scopes.length
      ? [ApiForbiddenResponse({ description: `Key lacks ${scopes.join(', ')} (INSUFFICIENT_SCOPE)`, type: ApiErrorResponse })]
      : []),
    ApiTooManyRequestsResponse({ description: 'Rate limit or monthly quota exceeded', type: ApiErrorResponse }),
  );
}

/** The authenticated API client of this request (set by the API-key guard). */
export const CurrentClient = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedClient => {
  return ctx.switchToHttp().getRequest<GatewayRequest>().apiClient as AuthenticatedClient;
});

/** The request id of this request (x-request-id). */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<GatewayRequest>().id ?? '';
});

/** Who makes this request, as the audit trail records it. */
export interface RequestActor {
  /** The calling API client; null for the gateway itself (bootstrap, CLI). */
  clientId: string | null;
  requestId: string | null;
}

/** The caller and request id of this request, for services that record who did what. */
export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestActor => {
  const req = ctx.switchToHttp().getRequest<GatewayRequest>();
  return { clientId: req.apiClient?.id ?? null, requestId: req.id ?? null };
});
