import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { createPGliteDriver } from './pglite-pool';
import { TypeOrmLogger } from './typeorm-logger';

/**
 * The one description of the database, used by the app, the CLI and ormconfig.ts.
 * `DATABASE_URL` set → that PostgreSQL; unset → embedded PGlite under DATA_DIR. Both run the
 * same migrations; `synchronize` is off everywhere.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      url: config.DATABASE_URL,
      poolSize: 10,
      extra: { connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000, application_name: 'capex-gateway' },
    };
  }
  return { ...common, driver: createPGliteDriver(config.DATA_DIR), poolSize: 1 };
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}

/** An arbitrary constant: replicas starting together take turns running migrations. */
const MIGRATION_LOCK = 7_283_001;

/** Opens the database and brings its schema up to date. */
export async function initializeDatabase(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (isEmbedded(dataSource.options)) {
    // One process owns the embedded database, and its single session cannot hold a lock
    // while migrations use it.
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

export function isEmbedded(options: DataSourceOptions): boolean {
  return 'driver' in options && !!options.driver;
}
