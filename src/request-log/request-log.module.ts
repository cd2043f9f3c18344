import { Module } from '@nestjs/common';
import { AdminClientsModule } from '../admin-clients/admin-clients.module';
import { RequestLogController } from './request-log.controller';
import { RequestLogService } from './request-log.service';

/** The request log: recorded by a middleware installed first (app.setup.ts), read by operators. */
@Module({
  imports: [AdminClientsModule],
  controllers: [RequestLogController],
  providers: [RequestLogService],
  exports: [RequestLogService],
})
export class RequestLogModule {}
