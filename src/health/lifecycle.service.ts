import { Injectable } from '@nestjs/common';

/** Whether this process is draining: readiness answers 503 from the first moment of shutdown. */
@Injectable()
export class LifecycleService {
  private draining = false;

  get shuttingDown(): boolean {
    return this.draining;
  }

  beginShutdown(): void {
    this.draining = true;
  }
}
