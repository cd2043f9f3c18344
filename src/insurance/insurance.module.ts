import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { ProvidersModule } from '../providers/providers.module';
import { AdminCustomerProfilesController } from './admin-customer-profiles.controller';
import { InsuranceService } from './insurance.service';

/** Products, customer profiles, quote applications and policies: the data payments refer to. */
@Module({
  imports: [ProvidersModule, AuditLogModule],
  controllers: [AdminCustomerProfilesController],
  providers: [InsuranceService],
  exports: [InsuranceService],
})
export class InsuranceModule {}
