import { AppException } from '@app/common';

export const malformedKey = () =>
  new AppException('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters', [
    { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
  ]);

export const inProgress = () =>
  new AppException(
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed; retry once it has finished',
  );

export const keyReused = () =>
  new AppException(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for a different request (method, path or body); use a new key for a new request',
  );
