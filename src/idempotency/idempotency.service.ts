import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { digestsEqual, Page, pageNewestFirst, toPage } from '@app/common';
import { AppConfig } from '../config/app-config';
import { IdempotencyRecord } from './idempotency-record.entity';
import { inProgress, keyReused } from './idempotency.errors';
import { IdempotencyKeyResponse } from './dto/idempotency-key.response.dto';
import { ListIdempotencyKeysQueryDto } from './dto/list-idempotency-keys.query.dto';

export interface IdempotentRequest {
  clientId: string;
  key: string;
  method: string;
  /** The URL as received, query included: part of what must match on a retry. */
  url: string;
  /** The path as stored and listed (no query string). */
  path: string;
  body: Buffer;
}

export type Admission = { run: true; id: string } | { run: false; status: number; body: unknown };

/** A pending record this old belongs to a request whose process died: its key may be used again. */
const ABANDONED_AFTER_SECONDS = 120;
/** Expired records are kept (without their answers) this long for GET /admin/idempotency-keys. */
const RETENTION_AFTER_EXPIRY = '7 days';

/**
 * The Idempotency-Key store (IETF draft semantics). The first request with a key reserves it
 * atomically — an INSERT under the unique (api_client_id, idempotency_key) — and later ones
 * are answered from that record: replayed once completed, 409 while pending, 422 when the
 * method, URL or body differ. Only successful answers are kept: when the handler or its
 * validation throws, the reservation is deleted, because every failing path of this gateway
 * rolls its transaction back — nothing happened, so a retry with the same key may run.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async admit(req: IdempotentRequest): Promise<Admission> {
    const hash = fingerprint(req);
    // A record released between our INSERT and SELECT (its request failed) is simply retried.
    for (let attempt = 0; attempt < 3; attempt++) {
      const reserved: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO idempotency_keys AS k (api_client_id, idempotency_key, method, path, request_hash, status, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', now() + $6 * interval '1 second')
         ON CONFLICT (api_client_id, idempotency_key) DO UPDATE
           SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
               status = 'pending', response_status = NULL, response_body = NULL,
               created_at = now(), completed_at = NULL, expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now()
              OR (k.status = 'pending' AND k.created_at < now() - $7 * interval '1 second')
         RETURNING id`,
        [req.clientId, req.key, req.method, req.path, hash, this.config.IDEMPOTENCY_TTL_SECONDS, ABANDONED_AFTER_SECONDS],
      );
      if (reserved.length) return { run: true, id: reserved[0].id };

      const [held]: Array<{ request_hash: Uint8Array; status: string; response_status: number; response_body: unknown }> =
        await this.dataSource.query(
          `SELECT request_hash, status, response_status, response_body FROM idempotency_keys
            WHERE api_client_id = $1 AND idempotency_key = $2`,
          [req.clientId, req.key],
        );
      if (!held) continue;
      if (!digestsEqual(Buffer.from(held.request_hash), hash)) throw keyReused();
      if (held.status === 'pending') throw inProgress();
      return { run: false, status: held.response_status, body: held.response_body };
    }
    throw inProgress();
  }

  /** Keeps the answer for replays. A failure here is logged, not answered: the work is done. */
  async complete(id: string, status: number, body: unknown): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE idempotency_keys SET status = 'completed', response_status = $2, response_body = $3::jsonb, completed_at = now()
          WHERE id = $1`,
        [id, status, JSON.stringify(body ?? null)],
      );
    } catch (err) {
      this.logger.error(`Could not store the answer of idempotency record ${id}: ${(err as Error).message}`);
    }
  }

  /** The request failed: forget the reservation so the same key may be retried. */
  async release(id: string): Promise<void> {
    try {
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE id = $1 AND status = 'pending'`, [id]);
    } catch (err) {
      this.logger.error(`Could not release idempotency record ${id}: ${(err as Error).message}`);
    }
  }

  async list(query: ListIdempotencyKeysQueryDto): Promise<Page<IdempotencyKeyResponse>> {
    const qb = this.dataSource.getRepository(IdempotencyRecord).createQueryBuilder('k');
    if (query.status === 'expired') qb.andWhere('k.expires_at <= now()');
    else if (query.status) qb.andWhere('k.status = :status AND k.expires_at > now()', { status: query.status });
    if (query.path) qb.andWhere('k.path = :path', { path: query.path });
    if (query.apiClientId) qb.andWhere('k.api_client_id = :clientId', { clientId: query.apiClientId });
    const rows = await pageNewestFirst(qb, 'k', query.limit, query.cursor).getMany();
    const now = Date.now();
    return toPage(rows, query.limit, (row) => IdempotencyKeyResponse.from(row, now));
  }

  /**
   * Expired records lose their stored answers (nothing kept past its use) and say so; a week
   * later they go. Every replica sweeps; the statements are idempotent.
   */
  async sweep(): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status = 'expired', response_body = NULL WHERE expires_at <= now() AND status <> 'expired'`,
    );
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at <= now() - interval '${RETENTION_AFTER_EXPIRY}'`,
    );
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: Error) => this.logger.warn(`Idempotency sweep failed: ${err.message}`));
    }, this.config.IDEMPOTENCY_SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}

/** What a retry must repeat exactly: method, URL (query included) and the body's bytes. */
export function fingerprint(req: Pick<IdempotentRequest, 'method' | 'url' | 'body'>): Buffer {
  return createHash('sha256').update(`${req.method} ${req.url}\n`).update(req.body).digest();
}
