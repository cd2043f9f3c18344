import { TestGateway, ADMIN_KEY } from './gateway';

export interface CreatedClient {
  id: string;
  key: string;
  body: Record<string, unknown>;
}

/** Creates a client through the admin API (as the bootstrap admin) and returns its key. */
export async function createClient(
  gw: TestGateway,
  fields: Record<string, unknown> = {},
  adminKey = ADMIN_KEY,
): Promise<CreatedClient> {
  const res = await gw
    .http()
    .post('/v1/admin/api-clients')
    .set('x-api-key', adminKey)
    .send({ name: 'Test client', scopes: ['payments:*'], ...fields });
  if (res.status !== 201) throw new Error(`create client: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, key: res.body.data.api_key, body: res.body.data };
}
