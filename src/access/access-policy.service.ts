import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AccessPolicy, AuthenticatedClient, GatewayRequest } from '@app/common';
import { originNotAllowed } from './access.errors';
import { RateLimitService } from './rate-limit.service';
import { UsageService } from './usage.service';

/**
 * What the API-key guard asks once it knows the caller: the rate limit first (every
 * authenticated request counts and carries X-RateLimit-*), then the client's allowed origins,
 * then its monthly quota (only requests that got this far count as usage). All from memory or
 * Redis: no database round trip on the way.
 */
@Injectable()
export class AccessPolicyService implements AccessPolicy {
  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly usage: UsageService,
  ) {}

  async admit(client: AuthenticatedClient, req: GatewayRequest, res: ServerResponse): Promise<void> {
    await this.rateLimits.admitClient(client, res);
    const origin = req.headers.origin;
    // Browsers send Origin; a client that lists origins is usable only from those.
    if (origin !== undefined && client.allowedOrigins.length && !client.allowedOrigins.includes(origin.toLowerCase())) {
      throw originNotAllowed(origin);
    }
    await this.usage.admit(client);
  }

  async refuse(req: GatewayRequest): Promise<void> {
    await this.rateLimits.countAuthFailure(req);
  }
}
