import { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys: the unique constraint is the reservation (no check-then-insert). */
export class CreateIdempotencyKeys1796318602000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1796318602000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        api_client_id uuid NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        method varchar(16) NOT NULL,
        path varchar(2048) NOT NULL,
        request_hash bytea NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'completed', 'expired')),
        response_status smallint,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_client_key_key UNIQUE (api_client_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX idempotency_keys_status_idx ON idempotency_keys (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX idempotency_keys_path_idx ON idempotency_keys (path, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
