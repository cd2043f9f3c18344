import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProviderCalls1796315745959 implements MigrationInterface {
  name = 'CreateProviderCalls1796315745959';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_calls (
        id uuid PRIMARY KEY,
        provider varchar(8) NOT NULL CHECK (provider IN ('ies', 'squad', 'mono')),
        operation varchar(64) NOT NULL,
        method varchar(8) NOT NULL,
        url text NOT NULL,
        status varchar(8) NOT NULL CHECK (status IN ('ok', 'failed')),
        http_status integer,
        latency_ms integer NOT NULL,
        error text,
        request_id varchar(128),
        attempt smallint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Newest first, keyset-paged on (created_at, id); one index per filter.
    await q.query(`CREATE INDEX provider_calls_created_idx ON provider_calls (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX provider_calls_provider_idx ON provider_calls (provider, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX provider_calls_operation_idx ON provider_calls (operation, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX provider_calls_status_idx ON provider_calls (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX provider_calls_request_idx ON provider_calls (request_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_calls`);
  }
}
