import { IesSimulator } from './ies.simulator';
import { MonoSimulator } from './mono.simulator';
import { SquadSimulator } from './squad.simulator';

export type ProviderName = 'ies' | 'squad' | 'mono';

export interface SimulatorSet {
  ies: IesSimulator;
  squad: SquadSimulator;
  mono: MonoSimulator;
}

export interface SimulatorSetOptions {
  host?: string;
  ies?: { port?: number; apiKey: string };
  squad?: { port?: number; secretKey: string; webhookUrl?: string };
  mono?: { port?: number; secretKey: string; otp?: string };
}

/** Builds a provider's simulator (not yet listening). */
export function createSimulator<P extends ProviderName>(provider: P, secret: string): SimulatorSet[P] {
  const sims = {
    ies: () => new IesSimulator({ apiKey: secret }),
    squad: () => new SquadSimulator({ secretKey: secret }),
    mono: () => new MonoSimulator({ secretKey: secret }),
  };
  return sims[provider]() as SimulatorSet[P];
}

/** Starts the three simulators (port 0 or omitted: a free port each); closes them all if one fails. */
export async function startSimulators(options: Required<Pick<SimulatorSetOptions, 'ies' | 'squad' | 'mono'>> & { host?: string }): Promise<SimulatorSet> {
  const host = options.host ?? '127.0.0.1';
  const set: SimulatorSet = {
    ies: new IesSimulator({ apiKey: options.ies.apiKey }),
    squad: new SquadSimulator({ secretKey: options.squad.secretKey, webhookUrl: options.squad.webhookUrl }),
    mono: new MonoSimulator({ secretKey: options.mono.secretKey, otp: options.mono.otp }),
  };
  try {
    await set.ies.listen(options.ies.port ?? 0, host);
    await set.squad.listen(options.squad.port ?? 0, host);
    await set.mono.listen(options.mono.port ?? 0, host);
  } catch (err) {
    await closeSimulators(set);
    throw err;
  }
  return set;
}

export async function closeSimulators(set: Partial<SimulatorSet>): Promise<void> {
  await Promise.all(Object.values(set).map((sim) => sim?.close()));
}
