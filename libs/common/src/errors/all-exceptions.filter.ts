import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { AppException, ErrorDetail } from './app.exception';
import { ERROR_STATUS, ErrorCode, codeForStatus } from './error-codes';
import { ensureRequestId, GatewayRequest, requestPath } from '../http/request-context';

export interface ErrorBody {
  ok: false;
  error: { code: ErrorCode; message: string; details?: ErrorDetail[]; request_id: string };
  data?: unknown;
}

interface Rendered {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  data?: unknown;
}

/** PostgreSQL SQLSTATEs that are the caller's fault, not ours. */
const PG_CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'CONFLICT', message: 'A record with the same unique value already exists' },
  '23503': { code: 'CONFLICT', message: 'The record refers to, or is referred to by, another record' },
  '22P02': { code: 'VALIDATION_FAILED', message: 'A value has an invalid format' },
  '22021': { code: 'VALIDATION_FAILED', message: 'A text value holds a byte sequence that is not valid text' },
  '22P05': { code: 'VALIDATION_FAILED', message: 'A text value holds a character that cannot be stored' },
  '22001': { code: 'VALIDATION_FAILED', message: 'A value is too long' },
  '22003': { code: 'VALIDATION_FAILED', message: 'A number is out of range' },
  '22007': { code: 'VALIDATION_FAILED', message: 'A date or time has an invalid format' },
  '22008': { code: 'VALIDATION_FAILED', message: 'A date or time is out of range' },
  '23502': { code: 'VALIDATION_FAILED', message: 'A required value is missing' },
  '23514': { code: 'VALIDATION_FAILED', message: 'A value breaks a constraint' },
};

/**
 * The one place where anything thrown becomes the contract's error envelope. Unknown errors
 * are logged with their stack and answered as a generic 500: no SQL, no stack, no framework
 * page ever reaches a caller.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<GatewayRequest>();
    const res = ctx.getResponse();
    const adapter = this.adapterHost.httpAdapter;
    const requestId = ensureRequestId(req, res);
    const rendered = this.render(exception, req);
    req.errorCode = rendered.code;

    for (const [name, value] of Object.entries(rendered.headers ?? {})) {
      adapter.setHeader(res, name, value);
    }
    const body: ErrorBody = {
      ok: false,
      error: {
        code: rendered.code,
        message: rendered.message,
        ...(rendered.details?.length ? { details: rendered.details } : {}),
        request_id: requestId,
      },
      ...(rendered.data !== undefined ? { data: rendered.data } : {}),
    };
    if (adapter.isHeadersSent?.(res)) return;
    adapter.reply(res, body, rendered.status);
  }

  private render(exception: unknown, req: GatewayRequest): Rendered {
    if (exception instanceof AppException) {
      return {
        status: exception.getStatus(),
        code: exception.code,
        message: exception.message,
        details: exception.details,
        headers: exception.headers,
        data: exception.data,
      };
    }
    if (exception instanceof ThrottlerException) {
      return { status: 429, code: 'RATE_LIMITED', message: 'Too many requests; retry after the time in Retry-After' };
    }
    // The adapter wraps body-parser failures in an HttpException; the original says which.
    const bodyParserError = asBodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (bodyParserError) return bodyParserError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      if (status === 404) {
        return { status, code, message: `No route for ${req.method} ${requestPath(req)}` };
      }
      if (status >= 500) {
        this.logger.error(exception);
        return { status, code, message: 'Internal error' };
      }
      return { status, code, message: exception.message };
    }
    if (exception instanceof QueryFailedError) {
      const sqlState = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const mapped = PG_CLIENT_ERRORS[sqlState];
      if (mapped) {
        return { status: ERROR_STATUS[mapped.code], code: mapped.code, message: mapped.message };
      }
      // Never the query or its parameters: they may hold personal data.
      const driver = exception.driverError as { message?: string } | undefined;
      this.logger.error({ requestId: req.id, sqlState, err: driver?.message ?? 'query failed' }, 'Database error');
      return { status: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };
    }
    this.logger.error({ err: exception, requestId: req.id }, 'Unhandled error');
    return { status: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };
  }
}


/** Errors raised by the body parser before any route runs (http-errors shaped). */
function asBodyParserError(exception: unknown): Rendered | undefined {
  if (!exception || typeof exception !== 'object') return undefined;
  const e = exception as { type?: string; status?: number; limit?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON (or not a JSON object)' };
    case 'entity.too.deep':
      return { status: 400, code: 'VALIDATION_FAILED', message: (e as { message?: string }).message ?? 'The JSON body is nested too deeply' };
    case 'entity.too.large':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than the limit of ${e.limit ?? 102400} bytes`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding or charset' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'VALIDATION_FAILED', message: 'The request body could not be read' };
    default:
      return undefined;
  }
}
