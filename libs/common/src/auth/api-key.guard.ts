import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { AppException } from '../errors/app.exception';
import type { AuthenticatedClient, GatewayRequest } from '../http/request-context';
import { IS_PUBLIC, REQUIRED_SCOPES } from './decorators';
import { grantsAll } from './scopes';

/** Implemented by the module that owns API clients; the guard only knows this interface. */
export interface ApiKeyVerifier {
  /** The client for a presented key, or null for a missing/unknown/suspended/revoked key. */
  verify(presentedKey: string): Promise<AuthenticatedClient | null>;
}
export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');

/**
 * What else decides whether a request may go on, once the guard knows who is calling (rate
 * limits, monthly quota, allowed origins). Provided by the module that owns those rules; the
 * guard calls it at the right moment so the order of checks lives in one place.
 */
export interface AccessPolicy {
  /** A key checked out: may set response headers, and throws to refuse (429, 403). */
  admit(client: AuthenticatedClient, req: GatewayRequest, res: ServerResponse): Promise<void>;
  /** No valid key: may throw instead of the 401 (429 once an IP has failed too often). */
  refuse(req: GatewayRequest, res: ServerResponse): Promise<void>;
}
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

/**
 * The one app-wide guard: deny by default. A route must be @Public() or declare
 * @RequireScopes(...); a route with neither is refused, so a forgotten decorator fails closed.
 * Order for a protected route: key → access policy (limits, quota, origin) → scopes, so every
 * authenticated answer, a 403 included, counts against the client's limits.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
    @Optional() @Inject(ACCESS_POLICY) private readonly policy?: AccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const req = http.getRequest<GatewayRequest>();
    const res = http.getResponse<ServerResponse>();
    const client = await this.authenticate(req, res);
    req.apiClient = client;
    await this.policy?.admit(client, req, res);

    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets);
    if (!required) {
      throw new AppException('INSUFFICIENT_SCOPE', 'This route declares no scope and is closed to every key');
    }
    if (!grantsAll(client.scopes, required)) {
      throw new AppException('INSUFFICIENT_SCOPE', `This key lacks the scope ${required.join(', ')}`, [
        { field: 'scopes', message: `requires ${required.join(', ')}` },
      ]);
    }
    return true;
  }

  private async authenticate(req: GatewayRequest, res: ServerResponse): Promise<AuthenticatedClient> {
    if (req.apiClient) return req.apiClient;
    const header = req.headers['x-api-key'];
    const client = typeof header === 'string' && header ? await this.verifier.verify(header) : null;
    if (!client) {
      await this.policy?.refuse(req, res);
      // One body for missing, unknown, suspended and revoked keys: nothing to probe.
      throw new AppException('UNAUTHENTICATED', 'A valid x-api-key header is required');
    }
    return client;
  }
}
