import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface DemoSummary {
  created: boolean;
  products: number;
  profiles: number;
  quotes: number;
  policies: number;
  payments: number;
}

const PRODUCTS: Array<[string, string]> = [
  ['MOTOR-COMP', 'Motor Comprehensive'],
  ['MOTOR-TP', 'Motor Third Party'],
  ['HOME-SHIELD', 'Home Shield'],
  ['HEALTH-BASIC', 'Health Basic'],
  ['TRAVEL', 'Travel Cover'],
  ['LIFE-TERM', 'Term Life'],
];

const PEOPLE = [
  'Adaeze Okafor', 'Babatunde Adeyemi', 'Chiamaka Eze', 'Dapo Ogunleye', 'Efe Omoregie', 'Funmilayo Bello',
  'Gbenga Lawal', 'Halima Sani', 'Ifeanyi Nwosu', 'Jumoke Afolabi', 'Kelechi Obi', 'Lola Bankole',
];

/**
 * Demo data for a newcomer: products, profiles, quotes, policies and payments, with the gaps
 * reconciliation looks for (profiles without an IES client code, a policy without a profile,
 * payments missing a client code, a verified payment whose autopost failed). Runs only when
 * asked (npm run seed:demo) and only once per database.
 */
export async function seedDemoData(dataSource: DataSource): Promise<DemoSummary> {
  return dataSource.transaction(async (em) => {
    const existing = await em.query(`SELECT 1 FROM insurance_products WHERE code = $1`, [PRODUCTS[0][0]]);
    if (existing.length) return { created: false, products: 0, profiles: 0, quotes: 0, policies: 0, payments: 0 };

    const productIds: string[] = [];
    for (const [code, name] of PRODUCTS) {
      const [row] = await em.query(`INSERT INTO insurance_products (code, name) VALUES ($1, $2) RETURNING id`, [code, name]);
      productIds.push(row.id);
    }
    const profileIds: string[] = [];
    const clientCodes: Array<string | null> = [];
    for (const [i, name] of PEOPLE.entries()) {
      const code = i % 5 === 4 ? null : `CEA-${100001 + i}`; // two without a client code (CEA-100001..3 exist in the IES simulator)
      const email = `${name.split(' ')[0].toLowerCase()}@example.com`;
      const [row] = await em.query(
        `INSERT INTO customer_profiles (full_name, email, phone, ies_client_code) VALUES ($1, $2, $3, $4) RETURNING id`,
        [name, email, `+23480${String(10000000 + i * 7919).slice(0, 8)}`, code],
      );
      profileIds.push(row.id);
      clientCodes.push(code);
    }
    const quoteIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const [row] = await em.query(
        `INSERT INTO quote_applications (customer_profile_id, product_id, premium_kobo, status) VALUES ($1, $2, $3, $4) RETURNING id`,
        [profileIds[i], productIds[i % productIds.length], 1_500_000 + i * 250_000, i < 6 ? 'accepted' : 'draft'],
      );
      quoteIds.push(row.id);
    }
    const policyIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const profile = i === 5 ? null : profileIds[i]; // one policy without a customer profile
      const [row] = await em.query(
        `INSERT INTO policies (policy_number, customer_profile_id, product_id, quote_application_id, status)
         VALUES ($1, $2, $3, $4, 'active') RETURNING id`,
        [`POL-DEMO-${1001 + i}`, profile, productIds[i % productIds.length], quoteIds[i]],
      );
      policyIds.push(row.id);
    }
    const payments: Array<{ i: number; status: string; autopost: string; error?: string }> = [
      { i: 0, status: 'verified', autopost: 'posted' },
      { i: 1, status: 'verified', autopost: 'posted' },
      { i: 2, status: 'verified', autopost: 'failed', error: 'IES answered 503 Service Unavailable' },
      { i: 3, status: 'pending', autopost: 'not_posted' },
      { i: 4, status: 'verified', autopost: 'failed', error: 'No IES client code for this payment' },
      { i: 9, status: 'failed', autopost: 'not_posted' },
    ];
    for (const p of payments) {
      const reference = `CEA-DEMO-${randomBytes(4).toString('hex').toUpperCase()}`;
      const verified = p.status === 'verified' ? new Date(Date.now() - 86_400_000) : null;
      const posted = p.autopost === 'posted';
      await em.query(
        // Dated yesterday: reconciliation compares today's payments with Squad, and these never
        // went through Squad (it would report each as unknown).
        `INSERT INTO payments (reference, amount_kobo, currency, email, customer_profile_id, policy_id, client_code,
                               environment, status, autopost_status, autopost_attempts, last_error,
                               verified_at, posted_at, ies_receipt_number, created_at)
         VALUES ($1, $2, 'NGN', $3, $4, $5, $6, 'live', $7, $8, $9, $10, $11, $12, $13, now() - interval '1 day')`,
        [
          reference,
          1_500_000 + p.i * 250_000,
          `${PEOPLE[p.i].split(' ')[0].toLowerCase()}@example.com`,
          profileIds[p.i],
          posted ? (policyIds[p.i] ?? null) : null, // demo policies exist only here, not in IES
          clientCodes[p.i],
          p.status,
          p.autopost,
          p.autopost === 'not_posted' ? 0 : 1,
          p.error ?? null,
          verified,
          posted ? verified : null,
          posted ? `RCT-DEMO-${p.i}` : null,
        ],
      );
    }
    return {
      created: true,
      products: PRODUCTS.length,
      profiles: PEOPLE.length,
      quotes: quoteIds.length,
      policies: policyIds.length,
      payments: payments.length,
    };
  });
}
