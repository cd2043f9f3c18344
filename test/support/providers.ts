import { SimulatorControl, SquadSimulatorControl } from '@app/provider-simulators';
import { ProviderEndpoints } from '../../src/providers/provider-endpoints.service';
import { eventually as untilDefined, TestGateway } from './gateway';

export interface Simulators {
  ies: SimulatorControl;
  squad: SquadSimulatorControl;
  mono: SimulatorControl;
  /** Drops every simulator's faults, recorded calls and data. */
  reset: () => Promise<void>;
}

/**
 * The control APIs of the simulators a test gateway talks to (in-process ones by default, or
 * the ones its *_BASE_URL points at), found through the gateway's ProviderEndpoints.
 */
export function simulatorsOf(gw: TestGateway): Simulators {
  const endpoints = gw.app.get(ProviderEndpoints);
  const sims = { ies: endpoints.control('ies'), squad: endpoints.control('squad'), mono: endpoints.control('mono') };
  return { ...sims, reset: async () => void (await Promise.all([sims.ies.reset(), sims.squad.reset(), sims.mono.reset()])) };
}

/**
 * Polls `read` until `done` holds (rows written off the request path show up within ~1 s);
 * after the timeout it answers the last value read, so the test's assertion shows the diff.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  let last!: T;
  try {
    return await untilDefined(async () => {
      last = await read();
      return done(last) ? last : undefined;
    }, timeoutMs);
  } catch {
    return last;
  }
}

/** A loopback port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
