import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { generateApiKey, ALL_SCOPES } from '@app/common';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { loadDotEnv } from './config/env-file';
import { AdminClientsService } from './admin-clients/admin-clients.service';
import { createDataSource, initializeDatabase } from './database/data-source';
import { seedDemoData } from './insurance/demo-data';
import { CreateApiClientDto } from './admin-clients/dto/create-api-client.dto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

const USAGE = `Usage:
  npm run cli -- create-client --name <name> --scopes <scope,scope> [--environment live|test] [--rate-limit <n>]
      Creates an API client in the configured database and prints its key once.
  npm run seed:demo   (npm run cli -- seed-demo)
      Fills products, profiles, quotes, policies and payments with demo data (once per database),
      including the gaps reconciliation reports. Never runs by itself.
  npm run cli -- generate-key [--environment live|test]
      Prints a new well-formed key (for ADMIN_BOOTSTRAP_KEY); touches no database.

Scopes: ${ALL_SCOPES.join(' ')}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      environment: { type: 'string', default: 'live' },
      'rate-limit': { type: 'string' },
    },
    strict: true,
  });
  if (command === 'generate-key') {
    const env = values.environment === 'test' ? 'test' : 'live';
    process.stdout.write(`${generateApiKey(env).key}\n`);
    return 0;
  }
  if (command === 'seed-demo') {
    Logger.overrideLogger(['error', 'warn']); // migrations' progress lines are noise here
    const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    process.stdout.write(`Database: ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.DATA_DIR}`}\n`);
    const dataSource = await initializeDatabase(createDataSource(config));
    try {
      const result = await seedDemoData(dataSource);
      process.stdout.write(
        result.created
          ? `Demo data added: ${result.products} products, ${result.profiles} customer profiles, ${result.quotes} quotes, ` +
              `${result.policies} policies, ${result.payments} payments.\nSee GET /v1/admin/reconciliation/summary and POST /v1/admin/reconciliation/runs.\n`
          : 'Demo data is already there; nothing added.\n',
      );
      return 0;
    } finally {
      await dataSource.destroy();
    }
  }
  if (command !== 'create-client') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dto = plainToInstance(CreateApiClientDto, {
    name: values.name,
    scopes: (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    environment: values.environment,
    ...(values['rate-limit'] ? { rateLimitPerMinute: Number(values['rate-limit']) } : {}),
  });
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    for (const e of errors) process.stderr.write(`--${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}\n`);
    process.stderr.write(`\n${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const created = await app.get(AdminClientsService).create(dto);
    const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.DATA_DIR}`;
    process.stdout.write(
      `Database: ${where}\n` +
      `Created API client ${created.id} "${created.name}" (${created.environment}) with scopes ${created.scopes.join(' ')}\n` +
        `API key (shown only once, store it securely):\n${created.api_key}\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `Error: ${(err as Error).message}`}\n`);
    process.exit(1);
  },
);
