import { AppException } from '@app/common';

export const bvnNotFound = () => new AppException('NOT_FOUND', 'No identity was found for this BVN');

export const lookupNotFound = () =>
  new AppException('NOT_FOUND', 'BVN lookup session not found or expired; start a new lookup');

export const methodRefused = () =>
  new AppException('VALIDATION_FAILED', 'Mono refused this verification method for the session', [
    { field: 'method', message: 'use one of the methods the lookup answered' },
  ]);

export const otpRefused = () =>
  new AppException('VALIDATION_FAILED', 'The OTP was not accepted, or the session was not verified with a method first', [
    { field: 'otp', message: 'not accepted' },
  ]);

export const bvnRefused = () =>
  new AppException('VALIDATION_FAILED', 'Mono refused the BVN', [{ field: 'bvn', message: 'refused by Mono' }]);
