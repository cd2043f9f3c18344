import type { ValueTransformer } from 'typeorm';

/**
 * bigint columns holding money in kobo: pg returns int8 as a string, PGlite as a number.
 * Both become a JS number; amounts are bounded far below 2^53 by validation.
 */
export const kobo: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error('Money value outside the safe integer range');
    return n;
  },
};
