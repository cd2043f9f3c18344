import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { API_KEY_VERIFIER } from '@app/common';
import { AppConfig } from '../config/app-config';
import { AccessModule } from '../access/access.module';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { AdminClientsController } from './admin-clients.controller';
import { AdminClientsService } from './admin-clients.service';
import { ApiKeyAuthService } from './api-key-auth.service';
import { ClientOriginsService } from './client-origins.service';
import { MeController } from './me.controller';

/** API clients and their keys: the admin endpoints, GET /me, the key check behind the guard and CORS origins. */
@Module({
  imports: [AuditLogModule, AccessModule],
  controllers: [AdminClientsController, MeController],
  providers: [
    AdminClientsService,
    ApiKeyAuthService,
    ClientOriginsService,
    { provide: API_KEY_VERIFIER, useExisting: ApiKeyAuthService },
  ],
  exports: [AdminClientsService, ApiKeyAuthService, ClientOriginsService, API_KEY_VERIFIER],
})
export class AdminClientsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminClientsModule.name);

  constructor(
    private readonly clients: AdminClientsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.ADMIN_BOOTSTRAP_KEY;
    if (!key) return;
    if (await this.clients.bootstrapAdmin(key)) {
      this.logger.log('Created the "bootstrap admin" client (admin:*) for ADMIN_BOOTSTRAP_KEY');
    }
  }
}
