import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { ServerResponse } from 'node:http';
import {
  AllExceptionsFilter,
  API_KEY_SECURITY,
  ApiErrorResponse,
  createValidationPipe,
  EnvelopeInterceptor,
  ensureRequestId,
  GatewayRequest,
  hasNonJsonBody,
  keepRawBodyAndCheckDepth,
  requestPath,
  unsupportedMediaType,
} from '@app/common';
import { version } from '../package.json';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { LifecycleService } from './health/lifecycle.service';
import { ClientOriginsService } from './admin-clients/client-origins.service';
import { RequestLogService } from './request-log/request-log.service';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';

export const BODY_LIMIT = '100kb';
/** In-flight requests get this long to finish once the server stops accepting. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Builds the gateway. main.ts and every e2e test go through here, so tests run the real app:
 * same prefix, pipes, filter, body limits and docs.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // rawBody: the Squad webhook's signature covers the exact bytes received.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, config);
  await app.init();
  answerOutsideNest(app);
  return app;
}

/**
 * Paths outside /v1 and /docs never reach Nest's router; without this they would get
 * Express's HTML 404 page. Registered after init, so it runs last.
 */
function answerOutsideNest(app: NestExpressApplication): void {
  app.use((req: GatewayRequest, res: ServerResponse) => {
    const requestId = ensureRequestId(req, res);
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({
        ok: false,
        error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${requestPath(req)}`, request_id: requestId },
      }),
    );
  });
}

/** Everything about the HTTP layer that is not a module: the only place Express shows. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  // First: the request log must see requests that the parsers, CORS or the router refuse.
  app.use(app.get(RequestLogService).recorder());
  // No upgrade-insecure-requests: the docs must load over plain HTTP inside a cluster too.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.enableCors(app.get(ClientOriginsService).corsDelegate());
  app.use((req: GatewayRequest, res: ServerResponse, next: (err?: unknown) => void) => {
    res.setHeader('cache-control', 'no-store'); // answers carry keys and personal data
    next(hasNonJsonBody(req) ? unsupportedMediaType() : undefined);
  });
  // JSON only; the raw bytes are kept for the Squad webhook's signature.
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: keepRawBodyAndCheckDepth });
  app.setGlobalPrefix('v1');
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
  // In this order: the envelope wraps what idempotency replays, so replays are the handler's data.
  app.useGlobalInterceptors(new EnvelopeInterceptor(), app.get(IdempotencyInterceptor));
  setupSwagger(app);
}

function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Capital Express Assurance API gateway')
      .setDescription(
        'One front door to IES (core insurance), Squad (payments) and Mono (bank and identity data).\n\n' +
          'Authenticate with the `x-api-key` header. Every answer is `{"ok": true, "data": ...}` or ' +
          '`{"ok": false, "error": {"code", "message", "details", "request_id"}}`; every response carries `x-request-id`.',
      )
      .setVersion(version)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'capex_<env>_<4 chars>_<secret>' }, API_KEY_SECURITY)
      .build(),
    { extraModels: [ApiErrorResponse] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/**
 * SIGTERM (Kubernetes): readiness turns 503 at once, the server keeps serving for
 * SHUTDOWN_DELAY_MS while endpoints are withdrawn, then stops accepting and lets in-flight
 * requests finish before the database closes. SIGINT (a developer's Ctrl-C) skips the delay.
 */
export function installGracefulShutdown(app: INestApplication, config: AppConfig): void {
  const logger = new NestLogger('Shutdown');
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.log(`${signal} received: draining`);
    await drainAndClose(app, signal === 'SIGTERM' ? config.SHUTDOWN_DELAY_MS : 0);
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}

export async function drainAndClose(app: INestApplication, delayMs: number, drainTimeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  app.get(LifecycleService).beginShutdown();
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const server = app.getHttpServer() as import('node:http').Server;
  // close() stops accepting and resolves once in-flight requests are answered; idle
  // keep-alive sockets are closed by Node itself. A client that never finishes its request
  // must not hold the process forever: after the drain bound, its socket is cut.
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  const bound = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
  await drained;
  clearTimeout(bound);
  await app.close();
}
