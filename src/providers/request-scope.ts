import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { ensureRequestId, GatewayRequest } from '@app/common';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * The id of the request being served, wherever the code runs on its behalf: provider calls
 * record it without every service passing it down. Null outside a request (background jobs).
 */
export function currentRequestId(): string | null {
  return scope.getStore()?.requestId ?? null;
}

/** Runs `fn` on behalf of a request id (background work that continues a request's job). */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** Opens the request scope for everything that runs after it: guards, handlers, services. */
@Injectable()
export class RequestScopeMiddleware implements NestMiddleware {
  use(req: GatewayRequest, res: ServerResponse, next: () => void): void {
    scope.run({ requestId: ensureRequestId(req, res) }, next);
  }
}
