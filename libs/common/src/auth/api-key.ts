import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Key format: `capex_<environment>_<4 chars>_<secret>`. The secret is 32 random bytes in hex
 * (256 bits). Only the SHA-256 of the whole key is stored: keys are high-entropy secrets, so
 * a fast hash is the right tool (a slow KDF protects guessable passwords, not these).
 */
export const API_KEY_PATTERN = /^capex_(live|test)_([a-z0-9]{4})_([A-Za-z0-9]{32,128})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export type KeyEnvironment = 'live' | 'test';

export interface IssuedKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function generateApiKey(environment: KeyEnvironment): IssuedKey {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  const prefix = `capex_${environment}_${tag}`;
  const key = `${prefix}_${randomBytes(32).toString('hex')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function isWellFormedApiKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 200 && API_KEY_PATTERN.test(key);
}

export function keyPrefixOf(key: string): string {
  return key.split('_').slice(0, 3).join('_');
}

export function environmentOf(key: string): KeyEnvironment {
  return key.split('_')[1] as KeyEnvironment;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time equality of two digests; false (not a throw) when lengths differ. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
