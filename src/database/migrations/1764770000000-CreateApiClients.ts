import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiClients1764770000000 implements MigrationInterface {
  name = 'CreateApiClients1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        environment varchar(8) NOT NULL DEFAULT 'live' CHECK (environment IN ('live', 'test')),
        scopes text[] NOT NULL DEFAULT '{}',
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
        key_prefix varchar(32) NOT NULL,
        contact_email varchar(254),
        allowed_origins text[] NOT NULL DEFAULT '{}',
        rate_limit_per_minute integer NOT NULL DEFAULT 120 CHECK (rate_limit_per_minute > 0),
        monthly_quota integer CHECK (monthly_quota IS NULL OR monthly_quota > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX api_clients_status_idx ON api_clients (status)`);
    await q.query(`CREATE INDEX api_clients_created_idx ON api_clients (created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        api_client_id uuid NOT NULL REFERENCES api_clients (id),
        key_prefix varchar(32) NOT NULL,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
      )`);
    await q.query(`CREATE INDEX api_keys_client_idx ON api_keys (api_client_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE api_clients`);
  }
}
