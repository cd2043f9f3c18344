import type { IncomingMessage } from 'node:http';
import { AppException } from '../errors/app.exception';

/** Deeper JSON than this is refused before parsing (validation recurses per level). */
export const MAX_JSON_DEPTH = 32;

/**
 * The JSON body parser's `verify` hook: keeps the exact bytes (the Squad webhook signs them)
 * and refuses absurd nesting, which would otherwise overflow the validator's stack.
 */
export function keepRawBodyAndCheckDepth(req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buf: Buffer): void {
  req.rawBody = buf;
  if (jsonDepth(buf) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), {
      type: 'entity.too.deep',
    });
  }
}

/** The deepest nesting of arrays and objects in a JSON text (strings are skipped). */
export function jsonDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** Whether a request carries a body that is not JSON (the API speaks JSON only). */
export function hasNonJsonBody(req: Pick<IncomingMessage, 'headers'>): boolean {
  const length = req.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
  return hasBody && !JSON_TYPE.test(req.headers['content-type'] ?? '');
}

export const unsupportedMediaType = () =>
  new AppException('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be JSON (content-type: application/json)');
