import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PaymentsService } from './payments.service';

/**
 * Retries failed IES autoposts with exponential backoff. Safe on every replica at once: rows
 * are claimed with FOR UPDATE SKIP LOCKED and a lease, so one worker posts a given payment.
 */
@Injectable()
export class AutopostWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutopostWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly payments: PaymentsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.AUTOPOST_WORKER_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const n = await this.payments.retryDueAutoposts();
      if (n) this.logger.log(`Retried ${n} autopost(s)`);
    } catch (err) {
      this.logger.error(`Autopost worker tick failed: ${(err as Error).message}`);
    }
  }
}
