import { AppException } from '@app/common';

export const rateLimited = (retryAfterSeconds: number) =>
  new AppException('RATE_LIMITED', 'Too many requests; retry after the time in Retry-After', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

export const quotaExceeded = (quota: number, resetsAt: Date) =>
  new AppException(
    'QUOTA_EXCEEDED',
    `The monthly quota of ${quota} requests is used up; it resets at ${resetsAt.toISOString()}`,
    [{ field: 'monthlyQuota', message: `resets at ${resetsAt.toISOString()}`, reset_at: resetsAt.toISOString() }],
    { 'Retry-After': String(Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000))) },
  );

export const originNotAllowed = (origin: string) =>
  new AppException('ORIGIN_NOT_ALLOWED', `This API client does not allow requests from the origin ${origin}`);
