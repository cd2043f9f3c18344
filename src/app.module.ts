import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard, ensureRequestId, GatewayRequest, requestPath } from '@app/common';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AdminClientsModule } from './admin-clients/admin-clients.module';
import { HealthModule } from './health/health.module';
import { ProvidersModule } from './providers/providers.module';
import { InsuranceModule } from './insurance/insurance.module';
import { PaymentsModule } from './payments/payments.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { KycModule } from './kyc/kyc.module';
import { AccessModule } from './access/access.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { RequestLogModule } from './request-log/request-log.module';

@Module({})
export class AppModule {
  /** The whole gateway for one validated config (tests build several, one per config). */
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.LOG_LEVEL,
              genReqId: (req, res) => ensureRequestId(req as GatewayRequest, res),
              // Only what is safe to keep: never headers (x-api-key), bodies or query values.
              serializers: {
                req: (req: GatewayRequest) => ({ id: req.id, method: req.method, path: requestPath(req) }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              autoLogging: { ignore: (req) => requestPath(req as GatewayRequest).startsWith('/v1/health/') },
              quietReqLogger: true,
            },
            process.stdout,
          ],
        }),
        DatabaseModule,
        HealthModule,
        AdminClientsModule,
        ProvidersModule,
        InsuranceModule,
        PaymentsModule,
        ReconciliationModule,
        KycModule,
        AccessModule,
        AuditLogModule,
        RequestLogModule,
        IdempotencyModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    };
  }
}
