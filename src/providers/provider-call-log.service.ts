import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RetentionSweeper, BatchedWriter, Page, pageNewestFirst, toPage } from '@app/common';
import { AppConfig } from '../config/app-config';
import { ProviderCall } from './provider-call.entity';
import { ListProviderCallsQueryDto } from './dto/list-provider-calls.query.dto';
import { ProviderCallResponse } from './dto/provider-call.response.dto';

export type ProviderCallEntry = Omit<ProviderCall, 'id'>;

/**
 * The provider-call log. A call never waits on it: `record()` only buffers, and the rows are
 * written in batches off the request path (rows show up within about 200 ms), then flushed
 * once more at shutdown.
 */
@Injectable()
export class ProviderCallLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly writer: BatchedWriter<ProviderCall>;
  private readonly retention: RetentionSweeper;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.retention = new RetentionSweeper(dataSource, 'provider_calls', config.RECORDS_RETENTION_DAYS, config.RECORDS_SWEEP_INTERVAL_MS);
    this.writer = new BatchedWriter({
      name: 'ProviderCallLog',
      write: async (rows) => {
        await this.dataSource.createQueryBuilder().insert().into(ProviderCall).values(rows).updateEntity(false).execute();
      },
      flushEveryMs: 200,
      batchSize: 500,
      maxBuffered: 20000,
      isAvailable: () => this.dataSource.isInitialized,
    });
  }

  onModuleInit(): void {
    this.writer.start();
    this.retention.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.retention.stop();
    await this.writer.stop();
  }

  record(entry: ProviderCallEntry): void {
    this.writer.push({ id: randomUUID(), ...entry });
  }

  /** Writes everything buffered so far (one flush at a time). */
  flush(): Promise<void> {
    return this.writer.flush();
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
}
