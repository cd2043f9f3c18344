import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, installGracefulShutdown } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { loadDotEnv } from './config/env-file';
import { AdminClientsService } from './admin-clients/admin-clients.service';
import { ProviderEndpoints, PROVIDERS } from './providers/provider-endpoints.service';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  installGracefulShutdown(app, config);
  await app.listen(config.PORT, config.HOST);
  // A client must send its whole request within these bounds (Node's defaults are minutes).
  const server = app.getHttpServer() as import('node:http').Server;
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;

  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const logger = new Logger('Gateway');
  logger.log(`Listening on ${url}/v1 — docs ${url}/docs (OpenAPI: ${url}/docs-json)`);
  logger.log(config.DATABASE_URL ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: embedded PostgreSQL in ${config.DATA_DIR}`);
  const endpoints = app.get(ProviderEndpoints);
  const simulated = PROVIDERS.filter((p) => endpoints.isSimulated(p));
  if (simulated.length) {
    logger.log(`Simulators (in-process): ${simulated.map((p) => `${p} ${endpoints.baseUrl(p)}`).join(', ')} — control API at <url>/__control`);
  }
  if (!(await app.get(AdminClientsService).hasAnyClient())) {
    logger.log(
      'First admin key: stop the gateway and run `npm run cli -- create-client --name ops --scopes "admin:*"`, ' +
        'or start it with ADMIN_BOOTSTRAP_KEY=$(npm run -s cli -- generate-key) (see README, "Your first admin key")',
    );
  }
}

bootstrap().catch((err) => {
  process.stderr.write(`Gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
