import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { KycController } from './kyc.controller';
import { KycService } from './kyc.service';

/** Partner KYC: BVN lookups through Mono. */
@Module({
  imports: [ProvidersModule],
  controllers: [KycController],
  providers: [KycService],
})
export class KycModule {}
