import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import {
  IesSimulator,
  MonoSimulator,
  SimulatorControl,
  SimulatorSet,
  SquadSimulator,
  SquadSimulatorControl,
} from '@app/provider-simulators';
import { AppConfig } from '../config/app-config';

export type ProviderName = 'ies' | 'squad' | 'mono';
export const PROVIDERS: readonly ProviderName[] = ['ies', 'squad', 'mono'];

/** Where the Squad simulator started in-process delivers webhooks: the gateway's own route. */
export const SQUAD_WEBHOOK_PATH = '/v1/webhooks/squad';

/**
 * The providers' secrets, from config. A simulated provider without a configured secret gets
 * a random one for this process (the simulator and the client share it). Kept out of every
 * exported service: only the HTTP core reads it.
 */
@Injectable()
export class ProviderCredentials {
  private readonly secrets: Record<ProviderName, string>;

  constructor(config: AppConfig) {
    const orRandom = (value?: string) => value ?? `sim_${randomBytes(24).toString('hex')}`;
    this.secrets = {
      ies: orRandom(config.IES_API_KEY),
      squad: orRandom(config.SQUAD_SECRET_KEY),
      mono: orRandom(config.MONO_SECRET_KEY),
    };
  }

  secret(provider: ProviderName): string {
    return this.secrets[provider];
  }
}

/**
 * The base URL in use for each provider: the configured one, or a built-in simulator started
 * here on a free loopback port when none is configured (so `npm start` and the tests need no
 * outside network). Tests and scripts reach a simulator's control API through `control()`.
 */
@Injectable()
export class ProviderEndpoints implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProviderEndpoints.name);
  private readonly urls = new Map<ProviderName, string>();
  private readonly sims: Partial<SimulatorSet> = {};
  private listening?: Subscription;

  constructor(
    private readonly config: AppConfig,
    private readonly credentials: ProviderCredentials,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured: Record<ProviderName, string | undefined> = {
      ies: this.config.IES_BASE_URL,
      squad: this.config.SQUAD_BASE_URL,
      mono: this.config.MONO_BASE_URL,
    };
    try {
      for (const provider of PROVIDERS) {
        const url = configured[provider];
        if (url) {
          this.urls.set(provider, url.replace(/\/+$/, ''));
          continue;
        }
        const sim = this.createSimulator(provider);
        this.urls.set(provider, await sim.listen(0, '127.0.0.1'));
        const note = this.config.NODE_ENV === 'production' ? ' (production: set the base URL to reach the real provider)' : '';
        this.logger[note ? 'warn' : 'log'](`${provider} is simulated in-process at ${this.urls.get(provider)}${note}`);
      }
    } catch (err) {
      await this.closeSimulators();
      throw err;
    }
    if (this.sims.squad) this.deliverSquadWebhooksHere(this.sims.squad);
  }

  async onModuleDestroy(): Promise<void> {
    this.listening?.unsubscribe();
    await this.closeSimulators();
  }

  /** The base URL calls to this provider go to (no trailing slash). */
  baseUrl(provider: ProviderName): string {
    const url = this.urls.get(provider);
    if (!url) throw new Error(`Provider endpoints are not resolved yet (${provider})`);
    return url;
  }

  /** Whether the gateway serves this provider from its built-in simulator. */
  isSimulated(provider: ProviderName): boolean {
    return !!this.sims[provider];
  }

  /**
   * A client for the simulator control API at this provider's base URL: the in-process
   * simulator, or one run by `npm run simulators` that the base URL points at.
   */
  control(provider: 'squad'): SquadSimulatorControl;
  control(provider: ProviderName): SimulatorControl;
  control(provider: ProviderName): SimulatorControl {
    const url = this.baseUrl(provider);
    return provider === 'squad' ? new SquadSimulatorControl(url) : new SimulatorControl(url);
  }

  /** The in-process simulator of a provider (undefined when a base URL is configured). */
  simulator<P extends ProviderName>(provider: P): SimulatorSet[P] | undefined {
    return this.sims[provider] as SimulatorSet[P] | undefined;
  }

  private createSimulator(provider: ProviderName): SimulatorSet[ProviderName] {
    const secret = this.credentials.secret(provider);
    if (provider === 'ies') return (this.sims.ies = new IesSimulator({ apiKey: secret }));
    if (provider === 'squad') return (this.sims.squad = new SquadSimulator({ secretKey: secret }));
    return (this.sims.mono = new MonoSimulator({ secretKey: secret }));
  }

  /** Once the gateway listens, its own webhook route is where simulated checkouts report. */
  private deliverSquadWebhooksHere(sim: SquadSimulator): void {
    this.listening = this.adapterHost.listen$.subscribe(() => {
      const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null;
      if (!address || typeof address === 'string') return;
      const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(address.address) ? '127.0.0.1' : address.address;
      const shown = host.includes(':') ? `[${host}]` : host;
      if (!sim.currentWebhookUrl) sim.setWebhookUrl(`http://${shown}:${address.port}${SQUAD_WEBHOOK_PATH}`);
    });
  }

  private async closeSimulators(): Promise<void> {
    await Promise.all(Object.values(this.sims).map((sim) => sim?.close()));
  }
}
