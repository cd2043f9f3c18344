import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail, append-only by the database itself: a trigger refuses every UPDATE and
 * DELETE, whoever connects. (TRUNCATE, an owner's bulk operation, stays possible: retention
 * and test resets.)
 */
export class CreateAuditEvents1796318601000 implements MigrationInterface {
  name = 'CreateAuditEvents1796318601000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_client_id uuid,
        action varchar(64) NOT NULL,
        target_type varchar(32) NOT NULL,
        target_id varchar(128) NOT NULL,
        before jsonb,
        after jsonb,
        request_id varchar(128),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_client_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
