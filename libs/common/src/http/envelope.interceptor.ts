import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { Page } from '../pagination/page';

/** Wraps every handler result in the contract's success envelope. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((result) => wrap(result)));
  }
}

export function wrap(result: unknown): unknown {
  if (result instanceof Page) {
    return { ok: true, data: result.data, next_cursor: result.nextCursor };
  }
  return { ok: true, data: result ?? null };
}
