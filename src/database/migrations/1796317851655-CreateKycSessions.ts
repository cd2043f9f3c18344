import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which client started which Mono BVN lookup, so another client holding a session id cannot
 * read the identity behind it. Only a hash of Mono's session id is kept.
 */
export class CreateKycSessions1796317851655 implements MigrationInterface {
  name = 'CreateKycSessions1796317851655';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kyc_sessions (
        session_hash bytea PRIMARY KEY,
        api_client_id uuid NOT NULL REFERENCES api_clients (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX kyc_sessions_expires_idx ON kyc_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kyc_sessions`);
  }
}
