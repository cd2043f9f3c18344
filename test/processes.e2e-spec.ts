import { spawnSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDataDir } from './support/gateway';

/** The built gateway and CLI as an operator runs them (npm test builds dist/ first). */
const root = join(__dirname, '..');
const node = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60000 });

describe('gateway and CLI processes', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ADMIN_BOOTSTRAP_KEY: 'letmein' }, 'ADMIN_BOOTSTRAP_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_BOOTSTRAP_KEY: 'capex_live_aaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, 'ADMIN_BOOTSTRAP_KEY'],
  ])('exits at start on %j with a message naming %s', (env, name) => {
    const run = node(['dist/src/main.js'], { DATA_DIR: 'memory://', ...env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(name);
    expect(run.stderr).not.toContain('letmein');
  });

  it('creates a client from the shell and prints its key once; the embedded database refuses a second process', async () => {
    const dir = tempDataDir();
    const created = node(['dist/src/cli.js', 'create-client', '--name', 'ops', '--scopes', 'admin:*'], {
      DATA_DIR: dir,
      DATABASE_URL: '',
    });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const key = created.stdout.match(/capex_live_[a-z0-9]{4}_[A-Za-z0-9]{64}/)?.[0];
    expect(key).toBeDefined();
    expect(created.stdout.split(key!).length).toBe(2); // printed exactly once

    const bad = node(['dist/src/cli.js', 'create-client', '--name', 'x', '--scopes', 'root'], { DATA_DIR: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown scope');

    // Start the gateway on that directory and use the CLI's key over HTTP.
    const gateway = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in: ${out}`)), 30000);
        gateway.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const port = out.match(/Listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
          if (port) {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${port}`);
          }
        });
      });
      const me = await fetch(`${url}/v1/me`, { headers: { 'x-api-key': key! } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { data: { name: string } }).data.name).toBe('ops');

      const second = node(['dist/src/cli.js', 'create-client', '--name', 'y', '--scopes', 'kyc:read'], { DATA_DIR: dir });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('in use by process');
      expect(out).not.toContain(key!.split('_')[3]);
    } finally {
      gateway.kill('SIGINT');
      await new Promise((r) => gateway.once('exit', r));
    }
  });

  it('seed-demo fills the demo data once, with the gaps reconciliation reports', () => {
    const dir = tempDataDir();
    const first = node(['dist/src/cli.js', 'seed-demo'], { DATA_DIR: dir });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Demo data added: 6 products, 12 customer profiles, 8 quotes, 6 policies, 6 payments.');
    const second = node(['dist/src/cli.js', 'seed-demo'], { DATA_DIR: dir });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('already there');
  });

  it('generate-key prints a well-formed key without touching a database', () => {
    const run = node(['dist/src/cli.js', 'generate-key', '--environment', 'test'], {});
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^capex_test_[a-z0-9]{4}_[A-Za-z0-9]{64}$/);
  });
});
