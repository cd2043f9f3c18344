import type { FaultInput, FaultRule, RecordedCall } from './simulator-server';
import type { SquadTransaction, SquadWebhookDelivery } from './squad.simulator';

/**
 * A client for a simulator's control API (`/__control/*`), for tests and scripts. Works the
 * same against an in-process simulator and one started with `npm run simulators`.
 */
export class SimulatorControl {
  constructor(readonly baseUrl: string) {}

  /** Adds a fault: `{path, mode, method?, status?, count?, delayMs?}`. */
  fault(input: FaultInput): Promise<FaultRule> {
    return this.send<FaultRule>('POST', '/__control/faults', input);
  }

  async faults(): Promise<FaultRule[]> {
    return (await this.send<{ faults: FaultRule[] }>('GET', '/__control/faults')).faults;
  }

  /** Drops faults and recorded calls and restores the simulator's fixture data. */
  async reset(): Promise<void> {
    await this.send('POST', '/__control/reset');
  }

  /** Requests received, oldest first; `path` is a prefix. */
  async calls(filter: { method?: string; path?: string } = {}): Promise<RecordedCall[]> {
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
    const suffix = query.size ? `?${query}` : '';
    return (await this.send<{ calls: RecordedCall[] }>('GET', `/__control/calls${suffix}`)).calls;
  }

  protected async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface CheckoutCompletion {
  transaction: SquadTransaction;
  webhook: SquadWebhookDelivery | null;
}

/** The Squad simulator's control API: the shared one plus checkouts and webhooks. */
export class SquadSimulatorControl extends SimulatorControl {
  /**
   * Completes a checkout as the paying customer would; on success the signed
   * `charge_successful` webhook goes to `webhookUrl` (or the simulator's configured URL),
   * unless `deliver` is false. Completing a successful checkout again re-sends the webhook.
   */
  completeCheckout(
    ref: string,
    options: { outcome?: 'success' | 'failed' | 'abandoned'; webhookUrl?: string; deliver?: boolean } = {},
  ): Promise<CheckoutCompletion> {
    return this.send('POST', `/__control/checkouts/${encodeURIComponent(ref)}/complete`, options);
  }

  async webhooks(): Promise<SquadWebhookDelivery[]> {
    return (await this.send<{ webhooks: SquadWebhookDelivery[] }>('GET', '/__control/webhooks')).webhooks;
  }

  async setWebhookUrl(webhookUrl: string | null): Promise<void> {
    await this.send('POST', '/__control/config', { webhookUrl });
  }
}
