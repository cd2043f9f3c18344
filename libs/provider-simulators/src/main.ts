import { closeSimulators, startSimulators } from './simulators';

/**
 * `npm run simulators`: IES, Squad and Mono on their own, for a gateway pointed at them
 * (IES_BASE_URL=http://127.0.0.1:4101 and so on) or for trying the providers' APIs by hand.
 * Ports 0 pick free ports. The keys are the simulators' own; give the gateway the same ones.
 */
const DEFAULTS: Record<string, string> = {
  SIM_HOST: '127.0.0.1',
  SIM_IES_PORT: '4101',
  SIM_SQUAD_PORT: '4102',
  SIM_MONO_PORT: '4103',
  SIM_IES_API_KEY: 'sim_ies_api_key',
  SIM_SQUAD_SECRET_KEY: 'sim_squad_secret_key',
  SIM_MONO_SECRET_KEY: 'sim_mono_secret_key',
};

function setting(name: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? (DEFAULTS[name] ?? '') : value;
}

function port(name: string): number {
  const text = setting(name);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new Error(`${name} must be a port number (0..65535), got ${JSON.stringify(text)}`);
  return value;
}

async function main(): Promise<void> {
  const webhookUrl = setting('SIM_SQUAD_WEBHOOK_URL') || undefined;
  const sims = await startSimulators({
    host: setting('SIM_HOST'),
    ies: { port: port('SIM_IES_PORT'), apiKey: setting('SIM_IES_API_KEY') },
    squad: { port: port('SIM_SQUAD_PORT'), secretKey: setting('SIM_SQUAD_SECRET_KEY'), webhookUrl },
    mono: { port: port('SIM_MONO_PORT'), secretKey: setting('SIM_MONO_SECRET_KEY'), otp: setting('SIM_MONO_OTP') || undefined },
  });
  const lines = [
    `IES simulator   ${sims.ies.url}   (Authorization: Bearer $SIM_IES_API_KEY)`,
    `Squad simulator ${sims.squad.url}   (Authorization: Bearer $SIM_SQUAD_SECRET_KEY; webhooks to ${webhookUrl ?? 'nowhere: set SIM_SQUAD_WEBHOOK_URL'})`,
    `Mono simulator  ${sims.mono.url}   (mono-sec-key: $SIM_MONO_SECRET_KEY)`,
    'Control API on each: POST /__control/faults, POST /__control/reset, GET /__control/calls; GET / describes the API.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void closeSimulators(sims).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`Simulators failed to start: ${err.message}\n`);
  process.exit(1);
});
