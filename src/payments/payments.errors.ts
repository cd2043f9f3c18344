import { AppException } from '@app/common';

export const paymentNotFound = () => new AppException('NOT_FOUND', 'Payment not found');

export const paymentNotVerified = (status: string) =>
  new AppException('PAYMENT_NOT_VERIFIED', `The payment is ${status}, not verified: there is nothing to post to IES yet`);

export const alreadyPosted = (receipt: string | null) =>
  new AppException('ALREADY_POSTED', `The payment is already posted to IES${receipt ? ` (receipt ${receipt})` : ''}`);

export const autopostInProgress = () =>
  new AppException('AUTOPOST_IN_PROGRESS', 'An autopost of this payment is running right now; read the payment again shortly');

export const amountMismatch = () =>
  new AppException(
    'AMOUNT_MISMATCH',
    'Squad reported a different amount for this payment; it is flagged for reconciliation and will not be posted',
  );

export const invalidReference = (field: string, message: string) =>
  new AppException('VALIDATION_FAILED', message, [{ field, message }]);

export const missingClientCode = () =>
  new AppException(
    'MISSING_CLIENT_CODE',
    'The payment has no IES client code (neither on the payment nor on its customer profile); set one with PATCH /v1/admin/customer-profiles/:id, then retry',
  );
