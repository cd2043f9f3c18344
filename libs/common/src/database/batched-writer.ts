import { Logger } from '@nestjs/common';

export interface BatchedWriterOptions<T> {
  /** Names the writer in warnings, e.g. "RequestLog". */
  name: string;
  /** Writes one batch; rejects with the driver's error. */
  write: (rows: T[]) => Promise<void>;
  flushEveryMs: number;
  batchSize: number;
  /** Beyond this many unwritten rows (database down for long), the oldest are dropped. */
  maxBuffered: number;
  /** False once the database is closed (shutdown, tests): failures are then not worth a warning. */
  isAvailable?: () => boolean;
}

/** Warnings about a database that cannot take rows: at most one a minute. */
const WARN_EVERY_MS = 60_000;

/**
 * Rows written off the request path (request log, provider-call log): push() only buffers;
 * every flushEveryMs the buffer is written in batches, one flush at a time, and once more on
 * stop(). A batch refused for its data (SQLSTATE class 22 or 23) is dropped; any other failure
 * keeps it for the next flush, so a database hiccup loses nothing. Warnings name the SQLSTATE
 * only: a driver's message may quote row values.
 */
export class BatchedWriter<T> {
  private readonly logger: Logger;
  private buffer: T[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private lastWarnAt = 0;

  constructor(private readonly options: BatchedWriterOptions<T>) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushEveryMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is buffered. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  push(row: T): void {
    this.buffer.push(row);
    const excess = this.buffer.length - this.options.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Writes everything buffered so far; flushes run one after the other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  private async writeBuffered(): Promise<void> {
    if (this.dropped) {
      this.warn(`${this.dropped} rows dropped while the database could not take them`);
      this.dropped = 0;
    }
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      try {
        await this.options.write(batch);
      } catch (err) {
        if (this.options.isAvailable && !this.options.isAvailable()) return;
        const sqlState = String((err as { code?: unknown }).code ?? (err as Error).name);
        if (/^2[23]/.test(sqlState)) {
          this.logger.error(`${batch.length} rows refused by the database (${sqlState}); dropped`);
          continue;
        }
        this.buffer.unshift(...batch);
        this.warn(`could not write ${batch.length} rows (${sqlState}); will retry`);
        return;
      }
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn(message);
  }
}
