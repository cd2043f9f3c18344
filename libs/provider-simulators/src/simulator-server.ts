import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a fault does to the requests it matches. */
export type FaultMode = 'error' | 'timeout' | 'down' | 'ok';
export const FAULT_MODES: readonly FaultMode[] = ['error', 'timeout', 'down', 'ok'];

/** The body of `POST /__control/faults`. */
export interface FaultInput {
  /** Only requests with this method (any method when omitted). */
  method?: string;
  /** Path prefix the fault applies to, e.g. `/receipts` or `/transaction/verify/`. */
  path: string;
  /**
   * error: answer `status` (default 500); timeout: never answer (or answer normally after
   * `delayMs`: a slow provider); down: drop the connection without answering; ok: answer
   * normally (lets a test say "first call fine, then fail" with `count`).
   */
  mode: FaultMode;
  status?: number;
  /** How many matching requests it applies to; omitted or null = until reset. */
  count?: number | null;
  /** With mode timeout: answer normally after this many ms instead of never. */
  delayMs?: number;
}

export interface FaultRule extends Required<Pick<FaultInput, 'path' | 'mode'>> {
  id: number;
  method: string | null;
  status: number | null;
  count: number | null;
  delayMs: number | null;
  /** Matches left before the rule stops applying (null = unlimited). */
  remaining: number | null;
}

/** One request the simulator received (control requests excepted). */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  time: string;
  /** The fault that applied, if any. */
  fault: FaultMode | null;
  /** The status answered; null while held or when the connection was dropped. */
  status: number | null;
}

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  /** Control and documentation routes are not recorded and never faulted. */
  internal: boolean;
  /** Routes a customer's browser or a monitor calls: no provider credentials. */
  open: boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A provider simulator: a real HTTP server on node:http with the provider's routes plus the
 * control API every simulator shares:
 *
 * - `POST /__control/faults` `{method?, path, mode, status?, count?, delayMs?}` adds a fault
 *   (path is a prefix; count omitted = until reset); `GET /__control/faults` lists them.
 * - `POST /__control/reset` drops faults and recorded calls and restores the fixture data.
 * - `GET /__control/calls?method=&path=` lists the requests received (method, path, query,
 *   body, time, fault, status), oldest first, so tests can count real side effects.
 * - `GET /` describes the simulator and its routes (no key; faults apply: status pings use it).
 */
export abstract class SimulatorServer {
  abstract readonly name: string;
  private readonly routes: Route[] = [];
  private faults: FaultRule[] = [];
  private calls: RecordedCall[] = [];
  private nextFaultId = 1;
  private readonly held = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private baseUrl?: string;

  constructor() {
    // A provider route (faults apply, calls are recorded): the gateway's status page pings it.
    this.route('GET', '/', () => ({ status: 200, body: this.describe() }), { open: true });
    this.internal('POST', '/__control/faults', (req) => this.addFaultFromRequest(req.body));
    this.internal('GET', '/__control/faults', () => ({ status: 200, body: { faults: this.faults } }));
    this.internal('POST', '/__control/reset', () => {
      this.reset();
      return { status: 200, body: { reset: true } };
    });
    this.internal('GET', '/__control/calls', (req) => ({
      status: 200,
      body: { calls: this.listCalls({ method: req.query.get('method') ?? undefined, path: req.query.get('path') ?? undefined }) },
    }));
  }

  /** A short description of the provider API this simulates (served at `GET /`). */
  protected abstract documentation(): Record<string, unknown>;

  /** Rejects a request lacking the provider's credentials (undefined: let it through). */
  protected abstract authenticate(req: SimRequest): SimResponse | undefined;

  /** Puts the provider's data back to its fixtures. */
  protected abstract resetData(): void;

  /** The body the provider answers when a fault says `error`. */
  protected faultBody(status: number): unknown {
    return { error: { code: 'SIMULATED_FAULT', message: `Simulated ${this.name} fault (HTTP ${status})` } };
  }

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.name} simulator is not listening`);
    return this.baseUrl;
  }

  /** Starts serving; port 0 picks a free one. Resolves with the base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${shownHost}:${address.port}`;
    return this.baseUrl;
  }

  /** Stops serving; held (timed-out) requests and open connections are dropped. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.releaseHeld();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  reset(): void {
    this.faults = [];
    this.calls = [];
    this.releaseHeld();
    this.resetData();
  }

  addFault(input: FaultInput): FaultRule {
    const rule: FaultRule = {
      id: this.nextFaultId++,
      method: input.method ? input.method.toUpperCase() : null,
      path: input.path,
      mode: input.mode,
      status: input.mode === 'error' ? (input.status ?? 500) : null,
      count: input.count ?? null,
      delayMs: input.mode === 'timeout' ? (input.delayMs ?? null) : null,
      remaining: input.count ?? null,
    };
    this.faults.push(rule);
    return rule;
  }

  listCalls(filter: { method?: string; path?: string } = {}): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        (!filter.method || c.method === filter.method.toUpperCase()) && (!filter.path || c.path.startsWith(filter.path)),
    );
  }

  /** Registers a provider route; `:name` segments become params. */
  protected route(method: string, pattern: string, handler: Handler, options: { open?: boolean } = {}): void {
    this.routes.push({ method, segments: split(pattern), handler, internal: false, open: options.open ?? false });
  }

  /** Registers a control route: never recorded, never faulted, no credentials. */
  protected internal(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, segments: split(pattern), handler, internal: true, open: true });
  }

  private describe(): Record<string, unknown> {
    return {
      simulator: this.name,
      ...this.documentation(),
      control: {
        'POST /__control/faults': '{"method"?, "path" (prefix), "mode": "error"|"timeout"|"down"|"ok", "status"?, "count"?, "delayMs"?}',
        'GET /__control/faults': 'active faults',
        'POST /__control/reset': 'drop faults and recorded calls, restore fixture data',
        'GET /__control/calls?method=&path=': 'requests received, oldest first',
      },
    };
  }

  private addFaultFromRequest(body: unknown): SimResponse {
    const input = (body ?? {}) as Partial<FaultInput>;
    const problems: string[] = [];
    if (typeof input.path !== 'string' || !input.path.startsWith('/')) problems.push('path must be a string starting with /');
    if (!FAULT_MODES.includes(input.mode as FaultMode)) problems.push(`mode must be one of ${FAULT_MODES.join(', ')}`);
    if (input.method !== undefined && typeof input.method !== 'string') problems.push('method must be a string');
    if (input.status !== undefined && !(Number.isInteger(input.status) && input.status >= 100 && input.status <= 599)) {
      problems.push('status must be an HTTP status (100..599)');
    }
    if (input.count !== undefined && input.count !== null && !(Number.isInteger(input.count) && input.count > 0)) {
      problems.push('count must be a positive integer or null');
    }
    if (input.delayMs !== undefined && !(Number.isInteger(input.delayMs) && input.delayMs >= 0)) {
      problems.push('delayMs must be a non-negative integer');
    }
    if (problems.length) return { status: 400, body: { error: { code: 'INVALID_FAULT', message: problems.join('; ') } } };
    return { status: 201, body: this.addFault(input as FaultInput) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch {
      send(res, { status: 413, body: { error: { code: 'BODY_TOO_LARGE', message: 'Body over 1 MB' } } });
      return;
    }
    const match = this.match(method, url.pathname);
    let body: unknown = undefined;
    if (rawBody) {
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('application/x-www-form-urlencoded')) {
        body = Object.fromEntries(new URLSearchParams(rawBody));
      } else {
        try {
          body = JSON.parse(rawBody);
        } catch {
          if (!match?.route.internal) this.record(method, url, rawBody, null).status = 400;
          send(res, { status: 400, body: { error: { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' } } });
          return;
        }
      }
    }
    const simReq: SimRequest = {
      method,
      path: url.pathname,
      params: match?.params ?? {},
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
    };
    if (match?.route.internal) {
      send(res, await match.route.handler(simReq));
      return;
    }

    const fault = this.takeFault(method, url.pathname);
    const call = this.record(method, url, body, fault?.mode ?? null);
    if (fault?.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (fault?.mode === 'error') {
      call.status = fault.status ?? 500;
      send(res, { status: call.status, body: this.faultBody(call.status) });
      return;
    }
    if (fault?.mode === 'timeout') {
      if (fault.delayMs === null) {
        this.hold(res);
        return;
      }
      this.held.add(res);
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0));
      if (!this.held.delete(res)) return;
    }

    let answer: SimResponse;
    if (!match) {
      answer = { status: 404, body: { error: { code: 'NOT_FOUND', message: `No route for ${method} ${url.pathname}` } } };
    } else {
      answer = (!match.route.open && this.authenticate(simReq)) || (await this.run(match.route.handler, simReq));
    }
    call.status = answer.status;
    if (!res.destroyed) send(res, answer);
  }

  private async run(handler: Handler, req: SimRequest): Promise<SimResponse> {
    try {
      return await handler(req);
    } catch (err) {
      return { status: 500, body: { error: { code: 'SIMULATOR_BUG', message: (err as Error).message } } };
    }
  }

  /** Never answers: the caller's timeout is what ends it (or a reset, or close). */
  private hold(res: ServerResponse): void {
    this.held.add(res);
    res.once('close', () => this.held.delete(res));
  }

  private releaseHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  private takeFault(method: string, path: string): FaultRule | undefined {
    const rule = this.faults.find(
      (f) => (f.remaining === null || f.remaining > 0) && (!f.method || f.method === method) && path.startsWith(f.path),
    );
    if (rule && rule.remaining !== null) rule.remaining -= 1;
    return rule;
  }

  private record(method: string, url: URL, body: unknown, fault: FaultMode | null): RecordedCall {
    const call: RecordedCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: body ?? null,
      time: new Date().toISOString(),
      fault,
      status: null,
    };
    this.calls.push(call);
    return call;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = split(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = decodeURIComponent(parts[i]);
          return true;
        }
        return segment === parts[i];
      });
      if (ok) return { route, params };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: SimResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers = { ...(answer.headers ?? {}) };
  let payload = '';
  if (answer.body !== undefined) {
    if (typeof answer.body === 'string') {
      payload = answer.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}
