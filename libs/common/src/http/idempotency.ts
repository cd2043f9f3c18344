import { SetMetadata } from '@nestjs/common';

export const WITHHOLD_ON_REPLAY = 'capex:withholdOnReplay';

/** The request header that makes a POST or PATCH safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Fields of a route's answer that hold a secret shown once (an issued API key): they are never
 * stored for idempotent replays, and a replay answers them as null with a `warning`.
 */
export function WithholdOnReplay(...fields: string[]): MethodDecorator {
  return SetMetadata(WITHHOLD_ON_REPLAY, fields);
}
