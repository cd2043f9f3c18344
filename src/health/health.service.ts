import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { AppException } from '@app/common';
import { version } from '../../package.json';
import { LifecycleService } from './lifecycle.service';

export interface GatewayHealth {
  status: 'ok' | 'error';
  timestamp: string;
  version: string;
}

/** A database ping must answer in this long, or the probe reports the database down. */
const DB_PING_TIMEOUT_MS = 3000;

@Injectable()
export class HealthService {
  private migrated = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly lifecycle: LifecycleService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The seed's admin health: 200 when the database answers, 503 (status "error") otherwise. */
  async gateway(): Promise<GatewayHealth> {
    await this.run([() => this.db.pingCheck('database', { timeout: DB_PING_TIMEOUT_MS })], 'The database cannot be reached');
    return this.answer('ok');
  }

  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: not draining, database reachable and fully migrated. */
  async ready(): Promise<GatewayHealth> {
    await this.run(
      [
        () => this.draining(),
        () => this.db.pingCheck('database', { timeout: DB_PING_TIMEOUT_MS }),
        () => this.migrations(),
      ],
      'The gateway is not ready',
    );
    return this.answer('ok');
  }

  private async run(checks: HealthIndicatorFunction[], message: string): Promise<void> {
    try {
      await this.health.check(checks);
    } catch (err) {
      const response = (err as { getResponse?: () => { error?: Record<string, { message?: string }> } }).getResponse?.();
      const details = Object.entries(response?.error ?? {}).map(([field, info]) => ({
        field,
        message: info?.message ?? 'down',
      }));
      throw new AppException('SERVICE_UNAVAILABLE', message, details, undefined, this.answer('error'));
    }
  }

  private async draining(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('lifecycle');
    return this.lifecycle.shuttingDown ? check.down({ message: 'shutting down' }) : check.up();
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('migrations');
    if (!this.migrated) this.migrated = !(await this.dataSource.showMigrations());
    return this.migrated ? check.up() : check.down({ message: 'pending migrations' });
  }

  private answer(status: 'ok' | 'error'): GatewayHealth {
    return { status, timestamp: new Date().toISOString(), version };
  }
}
