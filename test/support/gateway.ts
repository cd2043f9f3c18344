import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { AdminClientsService } from '../../src/admin-clients/admin-clients.service';
import { ApiKeyAuthService } from '../../src/admin-clients/api-key-auth.service';

/** The bootstrap admin every test gateway starts with (a test-only, well-formed key). */
export const ADMIN_KEY = 'capex_live_tst0_0123456789abcdef0123456789abcdef0123456789abcdef';

/**
 * Where tests keep data: DATABASE_URL when set (it must name a test database), otherwise an
 * in-memory embedded database.
 */
export function testDatabaseEnv(): Record<string, string> {
  const url = process.env.DATABASE_URL;
  if (!url) return { DATA_DIR: 'memory://' };
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test"`);
  }
  return { DATABASE_URL: url };
}

/**
 * Rate-limit storage for tests: Redis when REDIS_URL is set (CI sets it), memory otherwise;
 * every gateway gets its own key prefix, so parallel runs and earlier gateways never share
 * counters unless a test hands two gateways the same prefix on purpose.
 */
let gatewaysStarted = 0;
export function testRedisEnv(): Record<string, string> {
  return {
    REDIS_URL: process.env.REDIS_URL ?? '',
    REDIS_KEY_PREFIX: `capex-test:${process.pid}:${Date.now()}:${++gatewaysStarted}:`,
  };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'capex-test-'));
}

export interface TestGateway {
  app: INestApplication;
  config: AppConfig;
  url: string;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  /** Empties every table and re-creates the bootstrap admin: each test starts clean. */
  reset: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    SHUTDOWN_DELAY_MS: '0',
    ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
    // Suites provoke many 401s on purpose; the per-IP limit is tested where it is set low.
    AUTH_FAILURES_PER_MINUTE: '100000',
    ...testDatabaseEnv(),
    ...testRedisEnv(),
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    config,
    url,
    dataSource,
    http: () => request(url),
    reset: async () => {
      const tables: Array<{ tablename: string }> = await dataSource.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`,
      );
      await dataSource.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
      app.get(ApiKeyAuthService).invalidateAll();
      if (config.ADMIN_BOOTSTRAP_KEY) await app.get(AdminClientsService).bootstrapAdmin(config.ADMIN_BOOTSTRAP_KEY);
    },
    close: () => app.close(),
  };
}

/** Everything the process writes to stdout and stderr until stop() (swallowed, not echoed). */
export function captureOutput(): { text: () => string; stop: () => void } {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      void original;
      return true;
    };
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined (rows written off the request path). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`eventually: still nothing after ${timeoutMs} ms`);
    await sleep(50);
  }
}
