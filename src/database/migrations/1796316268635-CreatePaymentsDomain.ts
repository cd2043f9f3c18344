import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The insurance domain the gateway reconciles: products, customer profiles, quote
 * applications, policies, payments (money as integer kobo, never a float) and the
 * reconciliation runs that check them.
 */
export class CreatePaymentsDomain1796316268635 implements MigrationInterface {
  name = 'CreatePaymentsDomain1796316268635';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE insurance_products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(64) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customer_profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        full_name varchar(200) NOT NULL,
        email varchar(254),
        phone varchar(32),
        ies_client_code varchar(64),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX customer_profiles_client_code_idx ON customer_profiles (ies_client_code)`);
    await q.query(`
      CREATE TABLE quote_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_profile_id uuid REFERENCES customer_profiles (id),
        product_id uuid REFERENCES insurance_products (id),
        premium_kobo bigint CHECK (premium_kobo IS NULL OR premium_kobo > 0),
        status varchar(16) NOT NULL DEFAULT 'draft',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_number varchar(64) NOT NULL UNIQUE,
        customer_profile_id uuid REFERENCES customer_profiles (id),
        product_id uuid REFERENCES insurance_products (id),
        quote_application_id uuid REFERENCES quote_applications (id),
        status varchar(16) NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX policies_missing_profile_idx ON policies (id) WHERE customer_profile_id IS NULL`);
    await q.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference varchar(64) NOT NULL,
        amount_kobo bigint NOT NULL CHECK (amount_kobo > 0),
        currency char(3) NOT NULL,
        email varchar(254) NOT NULL,
        customer_profile_id uuid REFERENCES customer_profiles (id),
        policy_id uuid REFERENCES policies (id),
        client_code varchar(64),
        api_client_id uuid REFERENCES api_clients (id),
        environment varchar(8) NOT NULL CHECK (environment IN ('live', 'test')),
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'failed')),
        autopost_status varchar(16) NOT NULL DEFAULT 'not_posted'
          CHECK (autopost_status IN ('not_posted', 'posted', 'failed')),
        autopost_attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_autopost_at timestamptz,
        autopost_claimed_until timestamptz,
        checkout_url text,
        squad_gateway_ref varchar(128),
        squad_status varchar(32),
        amount_mismatch_kobo bigint,
        ies_receipt_number varchar(64),
        verified_at timestamptz,
        posted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payments_reference_key UNIQUE (reference)
      )`);
    await q.query(`CREATE INDEX payments_created_idx ON payments (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX payments_status_idx ON payments (status, autopost_status)`);
    await q.query(
      `CREATE INDEX payments_autopost_due_idx ON payments (next_autopost_at)
        WHERE status = 'verified' AND autopost_status <> 'posted'`,
    );
    await q.query(`CREATE INDEX payments_missing_client_code_idx ON payments (id) WHERE client_code IS NULL`);
    await q.query(`
      CREATE TABLE reconciliation_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trigger varchar(16) NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        actor_client_id uuid,
        status varchar(16) NOT NULL CHECK (status IN ('completed', 'failed')),
        counts jsonb NOT NULL DEFAULT '{}',
        findings jsonb NOT NULL DEFAULT '[]',
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reconciliation_runs_created_idx ON reconciliation_runs (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['reconciliation_runs', 'payments', 'policies', 'quote_applications', 'customer_profiles', 'insurance_products']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
