import { AppException } from '@app/common';

export const clientRevoked = () =>
  new AppException('CLIENT_REVOKED', 'This API client is revoked; revocation is final. Create a new client instead.');

export const lastAdmin = () =>
  new AppException(
    'LAST_ADMIN',
    'This is the last active client holding admin:write; create another admin client before revoking, suspending or narrowing this one',
  );

export const nothingToChange = () =>
  new AppException('VALIDATION_FAILED', 'The request body names no field to change', [
    { message: 'send at least one of name, scopes, rateLimitPerMinute, monthlyQuota, contactEmail, allowedOrigins, status' },
  ]);
