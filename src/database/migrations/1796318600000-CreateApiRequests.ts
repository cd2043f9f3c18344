import { MigrationInterface, QueryRunner } from 'typeorm';

/** The request log; one index behind each filter of GET /admin/api-requests, all newest first. */
export class CreateApiRequests1796318600000 implements MigrationInterface {
  name = 'CreateApiRequests1796318600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_requests (
        id uuid PRIMARY KEY,
        api_client_id uuid,
        method varchar(16) NOT NULL,
        path varchar(2048) NOT NULL,
        status_code smallint NOT NULL,
        latency_ms integer NOT NULL,
        request_id varchar(128) NOT NULL,
        ip varchar(64),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX api_requests_created_idx ON api_requests (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX api_requests_client_idx ON api_requests (api_client_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX api_requests_path_idx ON api_requests (path, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX api_requests_status_idx ON api_requests (status_code, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_requests`);
  }
}
