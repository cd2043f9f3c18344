import { Transform } from 'class-transformer';

/**
 * Query strings are text: turn "42" into 42 but leave anything else ("abc", "1.5", "", "1e3")
 * as it is, so @IsInt() rejects it with a 400 instead of letting NaN through.
 */
export function ToStrictInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));
}

/** "true"/"false" query values to booleans; anything else left for @IsBoolean() to refuse. */
export function ToStrictBoolean(): PropertyDecorator {
  return Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
}
