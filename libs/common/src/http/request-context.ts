import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the gateway learns about a caller once its key checks out. */
export interface AuthenticatedClient {
  id: string;
  name: string;
  environment: 'live' | 'test';
  scopes: string[];
  rateLimitPerMinute: number;
  monthlyQuota: number | null;
  allowedOrigins: string[];
  keyId: string;
  /** Prefix of the key this request presented (during a rotation's grace, the old one). */
  keyPrefix: string;
}

/**
 * The request as the gateway's own code sees it: Node's IncomingMessage plus the fields our
 * middleware, guards and filter attach. Deliberately not Express's Request type, so the HTTP
 * adapter stays a bootstrap choice.
 */
export interface GatewayRequest extends Omit<IncomingMessage, 'id'> {
  id?: string;
  originalUrl?: string;
  body?: unknown;
  rawBody?: Buffer;
  query?: Record<string, unknown>;
  params?: Record<string, string>;
  route?: { path?: string };
  /** The client IP as the adapter computed it (TRUST_PROXY decides how far X-Forwarded-For is believed). */
  ip?: string;
  apiClient?: AuthenticatedClient;
  errorCode?: string;
  startedAt?: bigint;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a sane incoming x-request-id, otherwise makes one; echoes it on the response. */
export function ensureRequestId(req: GatewayRequest, res: ServerResponse | unknown): string {
  if (!req.id) {
    const incoming = req.headers?.['x-request-id'];
    // A key pasted as a request id would be echoed and logged everywhere: refuse it too.
    const sane = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) && !/capex_/i.test(incoming);
    req.id = sane ? incoming : randomUUID();
  }
  const raw = (res as { raw?: ServerResponse }).raw ?? (res as ServerResponse);
  if (raw && typeof raw.setHeader === 'function' && !raw.headersSent) {
    raw.setHeader('x-request-id', req.id);
  }
  return req.id;
}

/** An API key's secret part, wherever a caller put it (a key pasted into a URL path, say). */
const KEY_SECRET_IN_TEXT = /(capex_(?:live|test)_[a-z0-9]{4}_)[A-Za-z0-9]+/gi;

/**
 * The path without its query string (query values may hold secrets) and with the secret of
 * any API key in it masked: paths end up in logs and the request log.
 */
export function requestPath(req: GatewayRequest): string {
  let url = req.originalUrl ?? req.url ?? '';
  // Absolute-form request targets (GET http://host/v1/me) route like /v1/me: log them so.
  if (!url.startsWith('/')) url = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  try {
    path = decodeURIComponent(path); // a percent-encoded key is still a key
  } catch {
    // not decodable: keep it as received
  }
  return /capex_/i.test(path) ? path.replace(KEY_SECRET_IN_TEXT, '$1[redacted]') : path;
}

/** Whether a request is under the API's /v1 prefix (routing ignores case, so must we). */
export function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === '/v1' || lower.startsWith('/v1/');
}
