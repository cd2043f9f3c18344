import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import {
  GatewayRequest,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  requestPath,
  WITHHOLD_ON_REPLAY,
} from '@app/common';
import { malformedKey } from './idempotency.errors';
import { IdempotencyService } from './idempotency.service';

/** The contract's key: 1..255 printable ASCII characters. */
const WELL_FORMED_KEY = /^[\x20-\x7e]{1,255}$/;

export const REPLAY_WITHHELD_WARNING =
  'This is a replay of an earlier request. The key it issued was shown only in the first answer and is not kept; ' +
  'if it was lost, rotate the key.';

/**
 * Makes every POST and PATCH under /v1 that carries an Idempotency-Key safe to retry. Runs
 * after the guard (so requests refused for auth, limits or scopes store nothing) and around
 * validation and the handler. Public routes have no client to scope keys to and are left
 * alone (the Squad webhook deduplicates on its own reference).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<GatewayRequest>();
    if (req.method !== 'POST' && req.method !== 'PATCH') return next.handle();
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    if (key === undefined || !req.apiClient) return next.handle();
    if (typeof key !== 'string' || !WELL_FORMED_KEY.test(key)) throw malformedKey();

    const handler = context.getHandler();
    const withheld = this.reflector.get<string[] | undefined>(WITHHOLD_ON_REPLAY, handler) ?? [];
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? (req.method === 'POST' ? 201 : 200);
    const admission = this.idempotency.admit({
      clientId: req.apiClient.id,
      key,
      method: req.method,
      url: req.originalUrl ?? req.url ?? '',
      path: requestPath(req),
      body: req.rawBody ?? Buffer.alloc(0),
    });

    return from(admission).pipe(
      mergeMap((admitted) => {
        if (!admitted.run) {
          http.getResponse<ServerResponse>().setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
          return of(replayed(admitted.body, withheld));
        }
        return next.handle().pipe(
          catchError((err: unknown) => from(this.idempotency.release(admitted.id)).pipe(mergeMap(() => throwError(() => err)))),
          mergeMap(async (result: unknown) => {
            await this.idempotency.complete(admitted.id, status, storable(result, withheld));
            return result;
          }),
        );
      }),
    );
  }
}

/** The answer as kept for replays: plain JSON, without the fields that hold a one-time secret. */
function storable(result: unknown, withheld: string[]): unknown {
  const plain: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
  if (!withheld.length || !plain || typeof plain !== 'object') return plain;
  const kept = { ...(plain as Record<string, unknown>) };
  for (const field of withheld) delete kept[field];
  return kept;
}

function replayed(body: unknown, withheld: string[]): unknown {
  if (!withheld.length || !body || typeof body !== 'object') return body;
  const answer: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of withheld) answer[field] = null;
  answer.warning = REPLAY_WITHHELD_WARNING;
  return answer;
}
