import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { InsuranceModule } from '../insurance/insurance.module';
import { ProvidersModule } from '../providers/providers.module';
import { AdminPaymentsController } from './admin-payments.controller';
import { AdminPaymentsService } from './admin-payments.service';
import { AutopostWorker } from './autopost.worker';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { SquadWebhookController } from './squad-webhook.controller';
import { SquadWebhookService } from './squad-webhook.service';

/** Squad payments, their webhook, and the exactly-once IES autopost with its retries. */
@Module({
  imports: [ProvidersModule, InsuranceModule, AuditLogModule],
  controllers: [PaymentsController, SquadWebhookController, AdminPaymentsController],
  providers: [PaymentsService, SquadWebhookService, AdminPaymentsService, AutopostWorker],
  exports: [PaymentsService],
})
export class PaymentsModule {}
