import { BeforeApplicationShutdown, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { BatchedWriter, RetentionSweeper, ensureRequestId, GatewayRequest, isApiPath, Page, pageNewestFirst, requestPath, toPage } from '@app/common';
import { AppConfig } from '../config/app-config';
import { ApiKeyAuthService } from '../admin-clients/api-key-auth.service';
import { ApiRequest } from './api-request.entity';
import { ApiRequestResponse } from './dto/api-request.response.dto';
import { ListApiRequestsQueryDto } from './dto/list-api-requests.query.dto';

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
  private readonly writer: BatchedWriter<ApiRequest>;
  private readonly retention: RetentionSweeper;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
    private readonly keys: ApiKeyAuthService,
  ) {
    this.retention = new RetentionSweeper(dataSource, 'api_requests', config.RECORDS_RETENTION_DAYS, config.RECORDS_SWEEP_INTERVAL_MS);
    this.writer = new BatchedWriter({
      name: 'RequestLog',
      write: (rows) => this.insert(rows),
      flushEveryMs: config.REQUEST_LOG_FLUSH_MS,
      batchSize: 2000,
      maxBuffered: 50_000,
      isAvailable: () => this.dataSource.isInitialized,
    });
  }

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
      if (isApiPath(path) && !UNRECORDED_PATHS.has(path.toLowerCase())) {
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
    this.writer.start();
    this.retention.start();
  }

  /** The HTTP server is drained by now (see drainAndClose): write what is left. */
  async onModuleDestroy(): Promise<void> {
    await this.retention.stop();
    await this.writer.stop();
  }

  /** Requests answered while the other modules shut down. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.flush();
  }

  private record(req: GatewayRequest, res: ServerResponse, path: string, arrivedAt: Date): void {
    const elapsedNs = process.hrtime.bigint() - (req.startedAt ?? process.hrtime.bigint());
    this.writer.push({
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

  /**
   * One column array per parameter: the statement text never changes and the embedded
   * database (which runs on this process's CPU) parses it once per batch, not per row.
   */
  private async insert(rows: ApiRequest[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO api_requests (id, api_client_id, method, path, status_code, latency_ms, request_id, ip, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::smallint[], $6::int[],
                            $7::varchar[], $8::varchar[], $9::timestamptz[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.apiClientId),
        rows.map((r) => r.method),
        rows.map((r) => r.path),
        rows.map((r) => r.statusCode),
        rows.map((r) => r.latencyMs),
        rows.map((r) => r.requestId),
        rows.map((r) => r.ip),
        rows.map((r) => r.createdAt),
      ],
    );
  }
}
