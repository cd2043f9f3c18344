import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { InsuranceModule } from '../insurance/insurance.module';
import { ProvidersModule } from '../providers/providers.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationService } from './reconciliation.service';

/** End-of-day checks of payments, policies and profiles against each other and Squad. */
@Module({
  imports: [InsuranceModule, ProvidersModule, AuditLogModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, ReconciliationScheduler],
})
export class ReconciliationModule {}
