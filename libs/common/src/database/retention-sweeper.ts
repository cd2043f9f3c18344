import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const BATCH = 5000;

/**
 * Deletes a log table's rows older than the retention period, in batches (short locks, no
 * giant transaction), every `everyMs`. Safe on every replica at once: a row is deleted once.
 */
export class RetentionSweeper {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly table: 'api_requests' | 'provider_calls',
    private readonly retentionDays: number,
    private readonly everyMs: number,
  ) {
    this.logger = new Logger(`Retention:${table}`);
  }

  start(): void {
    if (this.retentionDays <= 0 || this.everyMs <= 0) return; // keep forever
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err: Error) => {
          this.logger.warn(`Sweep failed: ${err.message}`);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is older than the retention period; answers how many rows went. */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const result: unknown = await this.dataSource.query(
        `DELETE FROM ${this.table} WHERE id IN (SELECT id FROM ${this.table} WHERE created_at < $1 LIMIT ${BATCH})`,
        [cutoff],
      );
      const deleted = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total) this.logger.log(`Deleted ${total} row(s) older than ${this.retentionDays} days`);
    return total;
  }
}
