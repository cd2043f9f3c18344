import { HttpException } from '@nestjs/common';
import { ERROR_STATUS, ErrorCode } from './error-codes';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/**
 * A domain error with a stable contract code. Throw it from services; the exception filter
 * renders `{ ok: false, error: { code, message, details, request_id } }`.
 */
export class AppException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
    /** A `data` member rendered beside `error` (health answers keep their seed shape). */
    readonly data?: unknown,
  ) {
    super({ code, message, details }, ERROR_STATUS[code]);
  }
}

export class NotFoundError extends AppException {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}
