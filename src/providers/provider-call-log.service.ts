import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page, pageNewestFirst, toPage } from '@app/common';
import { ProviderCall } from './provider-call.entity';
import { ListProviderCallsQueryDto } from './dto/list-provider-calls.query.dto';
import { ProviderCallResponse } from './dto/provider-call.response.dto';

export type ProviderCallEntry = Omit<ProviderCall, 'id'>;

/** How often buffered rows are written: rows show up in the admin API within about this. */
const FLUSH_EVERY_MS = 200;
const BATCH_SIZE = 500;
/** Beyond this many unwritten rows (database down for long), the oldest are dropped. */
const MAX_BUFFERED = 20000;

/**
 * The provider-call log. A call never waits on it: `record()` only buffers, and the rows are
 * written in batches off the request path, then flushed once more at shutdown.
 */
@Injectable()
export class ProviderCallLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProviderCallLog.name);
  private buffer: ProviderCall[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(entry: ProviderCallEntry): void {
    this.buffer.push({ id: randomUUID(), ...entry });
    if (this.buffer.length > MAX_BUFFERED) {
      this.dropped += this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
    }
  }

  /** Writes everything buffered so far (one flush at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async list(query: ListProviderCallsQueryDto): Promise<Page<ProviderCallResponse>> {
    const qb = this.dataSource.getRepository(ProviderCall).createQueryBuilder('c');
    if (query.provider) qb.andWhere('c.provider = :provider', { provider: query.provider });
    if (query.operation) qb.andWhere('c.operation = :operation', { operation: query.operation });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.requestId) qb.andWhere('c.request_id = :requestId', { requestId: query.requestId });
    const rows = await pageNewestFirst(qb, 'c', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, ProviderCallResponse.from);
  }

  private async writeBuffered(): Promise<void> {
    if (this.dropped) {
      this.logger.warn(`Provider-call log: ${this.dropped} rows dropped while the database could not take them`);
      this.dropped = 0;
    }
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, BATCH_SIZE);
      try {
        await this.dataSource.createQueryBuilder().insert().into(ProviderCall).values(batch).updateEntity(false).execute();
      } catch (err) {
        if (!this.dataSource.isInitialized) return;
        // Only the SQLSTATE: a driver message may quote row values.
        const sqlState = String((err as { code?: unknown }).code ?? (err as Error).name);
        if (/^2[23]/.test(sqlState)) {
          this.logger.error(`Provider-call log: ${batch.length} rows refused by the database (${sqlState}); dropped`);
          continue;
        }
        // Kept for the next flush (bounded by MAX_BUFFERED): a database hiccup loses nothing.
        this.buffer.unshift(...batch);
        this.logger.warn(`Provider-call log: could not write ${batch.length} rows (${sqlState}); will retry`);
        return;
      }
    }
  }
}
