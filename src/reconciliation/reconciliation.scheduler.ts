import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ReconciliationService } from './reconciliation.service';

/**
 * The optional daily run (RECONCILIATION_DAILY_AT, UTC). Every replica schedules it; the first
 * one to fire runs it and the others find that day's run already there.
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.RECONCILIATION_DAILY_AT) this.scheduleNext();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private scheduleNext(): void {
    const [hh, mm] = this.config.RECONCILIATION_DAILY_AT!.split(':').map(Number);
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hh, mm));
    if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
    this.timer = setTimeout(() => void this.fire(next), next.getTime() - now.getTime());
    this.timer.unref();
    this.logger.log(`Next scheduled reconciliation at ${next.toISOString()}`);
  }

  private async fire(at: Date): Promise<void> {
    try {
      // A small random delay spreads replicas so one finds the other's run.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3000)));
      if (await this.reconciliation.scheduledRunExists(at)) return;
      const run = await this.reconciliation.run('schedule', null);
      this.logger.log(`Scheduled reconciliation ${run.id}: ${run.findings.length} finding(s)`);
    } catch (err) {
      this.logger.error(`Scheduled reconciliation failed: ${(err as Error).message}`);
    } finally {
      this.scheduleNext();
    }
  }
}
