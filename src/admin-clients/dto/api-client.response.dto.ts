import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiClient } from '../api-client.entity';

/** An API client as operators see it: never any key material beyond the prefix. */
export class ApiClientResponse {
  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f' })
  id: string;

  @ApiProperty({ example: 'Mobile App Production' })
  name: string;

  @ApiProperty({ example: 'capex_live_abc1', description: 'Identifies the current key; not a secret' })
  key_prefix: string;

  @ApiProperty({ example: ['products:*', 'customers:*', 'quotes:*', 'policies:*', 'payments:*', 'kyc:*'] })
  scopes: string[];

  @ApiProperty({ enum: ['active', 'suspended', 'revoked'], example: 'active' })
  status: string;

  @ApiProperty({ enum: ['live', 'test'], example: 'live' })
  environment: string;

  @ApiProperty({ example: 'dev@capitalexpressassurance.com', nullable: true, type: String })
  contact_email: string | null;

  @ApiProperty({ example: [], type: [String] })
  allowed_origins: string[];

  @ApiProperty({ example: 120 })
  rate_limit_per_minute: number;

  @ApiProperty({ example: null, nullable: true, type: Number })
  monthly_quota: number | null;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  updated_at: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  revoked_at: string | null;

  @ApiProperty({ example: 1520, description: 'Requests this calendar month (UTC), all replicas' })
  usage_this_month: number;

  static from(client: ApiClient, usageThisMonth = 0): ApiClientResponse {
    return {
      id: client.id,
      name: client.name,
      key_prefix: client.keyPrefix,
      scopes: client.scopes,
      status: client.status,
      environment: client.environment,
      contact_email: client.contactEmail,
      allowed_origins: client.allowedOrigins,
      rate_limit_per_minute: client.rateLimitPerMinute,
      monthly_quota: client.monthlyQuota,
      created_at: client.createdAt.toISOString(),
      updated_at: client.updatedAt.toISOString(),
      revoked_at: client.revokedAt ? client.revokedAt.toISOString() : null,
      usage_this_month: usageThisMonth,
    };
  }
}

export const KEY_SHOWN_ONCE = 'This key is shown only once. Store it securely.';

/** The create answer: the seed's fields plus the full key, shown this once. */
export class CreatedApiClientResponse extends ApiClientResponse {
  @ApiProperty({ example: 'capex_live_abc1_FULL_KEY_SHOWN_ONCE', description: 'The full key; shown only in this response' })
  api_key: string;

  @ApiProperty({ example: KEY_SHOWN_ONCE })
  warning: string;

  static withKey(client: ApiClient, key: string): CreatedApiClientResponse {
    return { ...ApiClientResponse.from(client), api_key: key, warning: KEY_SHOWN_ONCE };
  }
}

/** The rotate-key answer keeps the seed's documented camelCase. */
export class RotatedKeyResponse {
  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f' })
  id: string;

  @ApiProperty({ example: 'Mobile App Production' })
  name: string;

  @ApiProperty({ example: 'capex_live_xyz9_NEW_KEY_SHOWN_ONCE' })
  apiKey: string;

  @ApiProperty({ example: 'capex_live_xyz9' })
  keyPrefix: string;

  @ApiProperty({ example: '2026-05-26T09:00:00Z' })
  rotatedAt: string;

  @ApiPropertyOptional({
    example: null,
    nullable: true,
    type: String,
    description: 'Until when the previous key keeps working (null: it stopped working now)',
  })
  previousKeyExpiresAt: string | null;

  @ApiProperty({ example: KEY_SHOWN_ONCE })
  warning: string;
}

export class MeResponse {
  @ApiProperty({ example: '3f8e2a4c-1b9d-4c7e-8f2a-6d5b4c3a2e1f' })
  id: string;

  @ApiProperty({ example: 'Mobile App Production' })
  name: string;

  @ApiProperty({ example: 'live' })
  environment: string;

  @ApiProperty({ example: 'capex_live_abc1' })
  key_prefix: string;

  @ApiProperty({ example: ['payments:*'] })
  scopes: string[];

  @ApiProperty({ example: 120 })
  rate_limit_per_minute: number;

  @ApiProperty({ example: null, nullable: true, type: Number })
  monthly_quota: number | null;

  @ApiProperty({ example: 1520, description: 'Requests this calendar month (UTC), this one included' })
  usage_this_month: number;

  @ApiProperty({ example: '2026-06-01T00:00:00.000Z', description: 'When the monthly count starts again' })
  usage_resets_at: string;
}
