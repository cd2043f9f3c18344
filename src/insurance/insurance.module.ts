import { Module } from '@nestjs/common';
import { InsuranceService } from './insurance.service';

/** Products, customer profiles, quote applications and policies: the data payments refer to. */
@Module({
  providers: [InsuranceService],
  exports: [InsuranceService],
})
export class InsuranceModule {}
