import { Module } from '@nestjs/common';
import { InsuranceModule } from '../insurance/insurance.module';
import { ProvidersModule } from '../providers/providers.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationService } from './reconciliation.service';

/** End-of-day checks of payments, policies and profiles against each other and Squad. */
@Module({
  imports: [InsuranceModule, ProvidersModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, ReconciliationScheduler],
})
export class ReconciliationModule {}
