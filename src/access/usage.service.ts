import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthenticatedClient } from '@app/common';
import { AppConfig } from '../config/app-config';
import { quotaExceeded } from './access.errors';

interface MonthUsage {
  clientId: string;
  month: string;
  /** Every replica's requests as the database last told us (ours included once flushed). */
  total: number;
  /** Our requests not yet added to the database. */
  pending: number;
  loaded: boolean;
  loading?: Promise<void>;
  /** The client has a monthlyQuota: keep its total fresh so other replicas' requests count. */
  limited: boolean;
  lastUsedAt: number;
}

/** Rows per statement when syncing (3 parameters each). */
const SYNC_CHUNK = 1000;
/** Entries of clients not seen for this long are forgotten (after their counts are written). */
const IDLE_MS = 10 * 60_000;

/**
 * Monthly usage and the monthly quota, without a database write per request: each replica
 * counts in memory and every USAGE_SYNC_MS adds its counts to api_client_usage in one
 * statement, which answers the new totals of every replica together. A request is refused
 * once total + our unsynced count reaches monthlyQuota, so several replicas can overshoot a
 * quota by at most what they admit in one sync interval. A client's total is read from the
 * database once per process (its first request, when it has a quota) and kept fresh by the
 * syncs; counts still in memory are written at shutdown.
 */
@Injectable()
export class UsageService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UsageService.name);
  private readonly entries = new Map<string, MonthUsage>();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private lastWarnAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Counts an admitted request; past the client's monthly quota → 429 QUOTA_EXCEEDED. */
  async admit(client: AuthenticatedClient): Promise<void> {
    const now = new Date();
    const entry = this.entry(client.id, monthOf(now));
    entry.lastUsedAt = now.getTime();
    entry.limited = client.monthlyQuota !== null;
    if (client.monthlyQuota !== null) {
      // Without the database's total (it is down) the request goes through, like the rate limits.
      if (!entry.loaded) await this.load(entry).catch((err: Error) => this.warn(`Usage read failed (${err.message})`));
      if (entry.loaded && entry.total + entry.pending >= client.monthlyQuota) {
        throw quotaExceeded(client.monthlyQuota, nextMonthStart(now));
      }
    }
    entry.pending++;
  }

  /** This month's requests of one client, all replicas (ours up to this moment). */
  async usageOf(clientId: string): Promise<number> {
    const entry = this.entry(clientId, monthOf(new Date()));
    if (!entry.loaded) await this.load(entry);
    return entry.total + entry.pending;
  }

  /** This month's requests of several clients (admin lists): one query, plus our unsynced counts. */
  async usageFor(clientIds: string[]): Promise<Map<string, number>> {
    const month = monthOf(new Date());
    const usage = new Map<string, number>(clientIds.map((id) => [id, 0]));
    if (!clientIds.length) return usage;
    const rows: Array<{ api_client_id: string; request_count: string | number }> = await this.dataSource.query(
      `SELECT api_client_id, request_count FROM api_client_usage
        WHERE month = $1 AND api_client_id IN (${clientIds.map((_, i) => `$${i + 2}`).join(', ')})`,
      [month, ...clientIds],
    );
    for (const row of rows) usage.set(row.api_client_id, Number(row.request_count));
    for (const id of clientIds) {
      const pending = this.entries.get(entryKey(id, month))?.pending ?? 0;
      usage.set(id, (usage.get(id) ?? 0) + pending);
    }
    return usage;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sync(), this.config.USAGE_SYNC_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }

  /** Writes our counts and reads everyone's totals; one run at a time. */
  sync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncOnce()
        .catch((err: Error) => this.warn(`Usage sync failed (${err.message}); counts kept for the next one`))
        .finally(() => (this.syncing = undefined));
    }
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const dirty = [...this.entries.values()].filter((e) => e.pending > 0);
    for (let i = 0; i < dirty.length; i += SYNC_CHUNK) {
      const chunk = dirty.slice(i, i + SYNC_CHUNK);
      const sent = chunk.map((e) => e.pending);
      const rows: Array<{ api_client_id: string; month: string; request_count: string | number }> =
        await this.dataSource.query(
          `INSERT INTO api_client_usage (api_client_id, month, request_count)
           VALUES ${chunk.map((_, j) => `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3})`).join(', ')}
           ON CONFLICT (api_client_id, month) DO UPDATE
             SET request_count = api_client_usage.request_count + EXCLUDED.request_count, updated_at = now()
           RETURNING api_client_id, month, request_count`,
          chunk.flatMap((e, j) => [e.clientId, e.month, sent[j]]),
        );
      chunk.forEach((e, j) => (e.pending -= sent[j]));
      for (const row of rows) this.setTotal(row.api_client_id, row.month, Number(row.request_count));
    }

    // Clients with a quota and nothing of ours to write still need the other replicas' counts.
    const synced = new Set(dirty);
    const stale = [...this.entries.values()].filter((e) => e.limited && e.loaded && !synced.has(e));
    for (let i = 0; i < stale.length; i += SYNC_CHUNK) {
      const chunk = stale.slice(i, i + SYNC_CHUNK);
      const rows: Array<{ api_client_id: string; month: string; request_count: string | number }> =
        await this.dataSource.query(
          `SELECT api_client_id, month, request_count FROM api_client_usage
            WHERE (api_client_id, month) IN (${chunk.map((_, j) => `($${j * 2 + 1}::uuid, $${j * 2 + 2}::varchar)`).join(', ')})`,
          chunk.flatMap((e) => [e.clientId, e.month]),
        );
      for (const row of rows) this.setTotal(row.api_client_id, row.month, Number(row.request_count));
    }

    const idleBefore = Date.now() - IDLE_MS;
    for (const [key, e] of this.entries) {
      if (e.pending === 0 && e.lastUsedAt < idleBefore) this.entries.delete(key);
    }
  }

  private setTotal(clientId: string, month: string, total: number): void {
    const entry = this.entries.get(entryKey(clientId, month));
    if (!entry) return;
    entry.total = total;
    entry.loaded = true;
  }

  private entry(clientId: string, month: string): MonthUsage {
    const key = entryKey(clientId, month);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { clientId, month, total: 0, pending: 0, loaded: false, limited: false, lastUsedAt: Date.now() };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Reads a client's total once; concurrent first requests share the read. */
  private load(entry: MonthUsage): Promise<void> {
    entry.loading ??= this.dataSource
      .query(`SELECT request_count FROM api_client_usage WHERE api_client_id = $1 AND month = $2`, [entry.clientId, entry.month])
      .then((rows: Array<{ request_count: string | number }>) => {
        // A sync that finished first already knows a newer total.
        if (!entry.loaded) entry.total = rows.length ? Number(rows[0].request_count) : 0;
        entry.loaded = true;
      })
      .finally(() => (entry.loading = undefined));
    return entry.loading;
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.logger.warn(message);
  }
}

const entryKey = (clientId: string, month: string) => `${clientId}|${month}`;

/** 'YYYY-MM' of a time, in UTC. */
export function monthOf(time: Date): string {
  return time.toISOString().slice(0, 7);
}

/** When the month after `time` starts, in UTC: when a monthly quota resets. */
export function nextMonthStart(time: Date): Date {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth() + 1, 1));
}
