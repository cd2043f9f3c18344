import { MigrationInterface, QueryRunner } from 'typeorm';

/** Requests per client and calendar month (UTC), added to in batches by every replica. */
export class CreateApiClientUsage1796318603000 implements MigrationInterface {
  name = 'CreateApiClientUsage1796318603000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_client_usage (
        api_client_id uuid NOT NULL,
        month varchar(7) NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        request_count bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (api_client_id, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_client_usage`);
  }
}
