import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { ensureRequestId, GatewayRequest, Page, pageNewestFirst, requestPath, toPage } from '@app/common';
import { AppConfig } from '../config/app-config';
import { ApiKeyAuthService } from '../admin-clients/api-key-auth.service';
import { ApiRequest } from './api-request.entity';
import { ApiRequestResponse } from './dto/api-request.response.dto';
import { ListApiRequestsQueryDto } from './dto/list-api-requests.query.dto';

/** Rows per INSERT statement. */
const BATCH_ROWS = 2000;
/** Past this many unwritten rows (database down for a while) new rows are dropped, not hoarded. */
const MAX_BUFFERED = 50_000;
/** Kubernetes probes would be most of the rows and tell nothing; the access log skips them too. */
const UNRECORDED_PATHS = new Set(['/v1/health/live', '/v1/health/ready']);
/** Answered when the caller went away before the answer was complete (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;

type Middleware = (req: GatewayRequest, res: ServerResponse, next: () => void) => void;

/**
 * The request log: one row per request under /v1, whatever answered it — a handler, a guard
 * (401/403/429), the body parser (400/413) or the not-found handler. Rows are buffered and
 * written in batches every REQUEST_LOG_FLUSH_MS, so a request never waits on an insert;
 * whatever is buffered is written when the app shuts down.
 */
@Injectable()
export class RequestLogService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(RequestLogService.name);
  private buffer: ApiRequest[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private dropped = 0;
  private lastWarnAt = 0;
  /** Rows whose batch failed once: a second failure drops them. */
  private readonly failedOnce = new WeakSet<ApiRequest>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly keys: ApiKeyAuthService,
  ) {}

  /**
   * The first middleware of the app (see app.setup.ts): it sees every request before anything
   * can refuse it, and records it once the answer is out.
   */
  recorder(): Middleware {
    return (req, res, next) => {
      const arrivedAt = new Date();
      req.startedAt = process.hrtime.bigint();
      ensureRequestId(req, res);
      const path = requestPath(req);
      if (path.startsWith('/v1/') && !UNRECORDED_PATHS.has(path)) {
        res.once('close', () => this.record(req, res, path, arrivedAt));
      }
      next();
    };
  }

  async list(query: ListApiRequestsQueryDto): Promise<Page<ApiRequestResponse>> {
    const qb = this.dataSource.getRepository(ApiRequest).createQueryBuilder('r');
    if (query.apiClientId) qb.andWhere('r.api_client_id = :apiClientId', { apiClientId: query.apiClientId });
    if (query.path) qb.andWhere('r.path = :path', { path: query.path });
    if (query.statusCode !== undefined) qb.andWhere('r.status_code = :statusCode', { statusCode: query.statusCode });
    if (query.since) qb.andWhere('r.created_at >= :since', { since: new Date(query.since) });
    if (query.until) qb.andWhere('r.created_at < :until', { until: new Date(query.until) });
    const rows = await pageNewestFirst(qb, 'r', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, ApiRequestResponse.from);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.REQUEST_LOG_FLUSH_MS);
    this.timer.unref();
  }

  /** The HTTP server is drained by now (see drainAndClose): write what is left. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Requests answered while the other modules shut down. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Writes every buffered row; concurrent callers share one run. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.writeAll().finally(() => (this.flushing = undefined));
    }
    return this.flushing;
  }

  private record(req: GatewayRequest, res: ServerResponse, path: string, arrivedAt: Date): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    const elapsedNs = process.hrtime.bigint() - (req.startedAt ?? process.hrtime.bigint());
    this.buffer.push({
      id: randomUUID(),
      apiClientId: req.apiClient?.id ?? this.clientOfUncheckedKey(req),
      method: (req.method ?? 'GET').slice(0, 16),
      path: path.slice(0, 2048),
      statusCode: res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST,
      latencyMs: Math.round(Number(elapsedNs) / 1e6),
      requestId: req.id ?? '',
      ip: (req.ip ?? req.socket?.remoteAddress ?? null)?.slice(0, 64) ?? null,
      createdAt: arrivedAt,
    });
  }

  /**
   * Requests refused before the guard ran (malformed JSON, a body too large, an unknown route)
   * still name their client when its key was seen recently: from the key cache, never the database.
   */
  private clientOfUncheckedKey(req: GatewayRequest): string | null {
    const key = req.headers['x-api-key'];
    return typeof key === 'string' ? (this.keys.peek(key)?.id ?? null) : null;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, BATCH_ROWS);
      try {
        // One column array per parameter: the statement text never changes and the embedded
        // database (which runs on this process's CPU) parses it once per batch, not per row.
        await this.dataSource.query(
          `INSERT INTO api_requests (id, api_client_id, method, path, status_code, latency_ms, request_id, ip, created_at)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::smallint[], $6::int[],
                                $7::varchar[], $8::varchar[], $9::timestamptz[])`,
          [
            batch.map((r) => r.id),
            batch.map((r) => r.apiClientId),
            batch.map((r) => r.method),
            batch.map((r) => r.path),
            batch.map((r) => r.statusCode),
            batch.map((r) => r.latencyMs),
            batch.map((r) => r.requestId),
            batch.map((r) => r.ip),
            batch.map((r) => r.createdAt),
          ],
        );
      } catch (err) {
        // The rows go back once, for the next tick; a batch failing twice is dropped so one bad
        // row cannot stop the log.
        const retry = batch.filter((row) => !this.failedOnce.has(row));
        retry.forEach((row) => this.failedOnce.add(row));
        if (this.buffer.length + retry.length <= MAX_BUFFERED) this.buffer.unshift(...retry);
        this.dropped += batch.length - retry.length;
        this.warn(`Request log: could not write ${batch.length} rows (${(err as Error).message})`);
        return;
      }
    }
    if (this.dropped) {
      this.warn(`Request log: ${this.dropped} rows were dropped`);
      this.dropped = 0;
    }
  }

  /** At most one warning a minute: a database outage must not flood the log. */
  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.logger.warn(message);
  }
}
