import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ProviderHttp, ProviderPing } from './provider-http.service';
import { ProviderName } from './provider-endpoints.service';
import { ProvidersStatusResponse } from './dto/providers-status.response.dto';

/** Pings the three providers at once; a down or hanging provider costs at most the ping timeout. */
@Injectable()
export class ProvidersStatusService {
  constructor(
    private readonly http: ProviderHttp,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<ProvidersStatusResponse> {
    const timeoutMs = this.config.PROVIDER_STATUS_TIMEOUT_MS;
    // Reachable is not enough: while a provider's circuit is open the gateway refuses every
    // call to it, so operators must see it as not ok (the ping still reports its HTTP status).
    const ping = async (provider: ProviderName): Promise<ProviderPing> => {
      const result = await this.http.ping(provider, timeoutMs);
      return this.http.circuitState(provider) === 'open' ? { ...result, ok: false } : result;
    };
    const [squad, ies, mono] = await Promise.all([ping('squad'), ping('ies'), ping('mono')]);
    return { squad, ies, mono, checked_at: new Date().toISOString() };
  }
}
