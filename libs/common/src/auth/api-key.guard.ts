import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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
 * The one app-wide guard: deny by default. A route must be @Public() or declare
 * @RequireScopes(...); a route with neither is refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<GatewayRequest>();
    const client = await this.authenticate(req);
    req.apiClient = client;

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

  private async authenticate(req: GatewayRequest): Promise<AuthenticatedClient> {
    if (req.apiClient) return req.apiClient;
    const header = req.headers['x-api-key'];
    const client = typeof header === 'string' && header ? await this.verifier.verify(header) : null;
    if (!client) {
      // One body for missing, unknown, suspended and revoked keys: nothing to probe.
      throw new AppException('UNAUTHENTICATED', 'A valid x-api-key header is required');
    }
    return client;
  }
}
