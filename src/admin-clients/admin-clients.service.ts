import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuthenticatedClient,
  generateApiKey,
  grants,
  hashApiKey,
  environmentOf,
  keyPrefixOf,
  NotFoundError,
  Page,
  pageNewestFirst,
  toPage,
} from '@app/common';
import { ApiClient } from './api-client.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyAuthService, CLIENT_CHANGED_CHANNEL } from './api-key-auth.service';
import { clientRevoked, lastAdmin, nothingToChange } from './admin-clients.errors';
import { CreateApiClientDto } from './dto/create-api-client.dto';
import { UpdateApiClientDto } from './dto/update-api-client.dto';
import { ListApiClientsQueryDto } from './dto/list-api-clients.query.dto';
import { ApiClientResponse, CreatedApiClientResponse, KEY_SHOWN_ONCE, MeResponse, RotatedKeyResponse } from './dto/api-client.response.dto';

/** Serialises changes that decide who is an admin, so two revokes cannot both pass LAST_ADMIN. */
const ADMIN_CLIENTS_LOCK = 7_283_002;

export interface ClientChange {
  client: ApiClient;
  /** The changed fields before and after (for the audit trail); empty when nothing changed. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

@Injectable()
export class AdminClientsService {
  private readonly logger = new Logger(AdminClientsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeyAuthService,
  ) {}

  async create(dto: CreateApiClientDto, presetKey?: string): Promise<CreatedApiClientResponse> {
    const environment = presetKey ? environmentOf(presetKey) : (dto.environment ?? 'live');
    const issued = presetKey
      ? { key: presetKey, prefix: keyPrefixOf(presetKey), hash: hashApiKey(presetKey) }
      : generateApiKey(environment);
    const client = await this.dataSource.transaction(async (em) => {
      const saved = await em.save(
        em.create(ApiClient, {
          name: dto.name,
          environment,
          scopes: dto.scopes,
          status: 'active',
          keyPrefix: issued.prefix,
          contactEmail: dto.contactEmail ?? null,
          allowedOrigins: (dto.allowedOrigins ?? []).map((o) => o.toLowerCase()),
          rateLimitPerMinute: dto.rateLimitPerMinute ?? 120,
          monthlyQuota: dto.monthlyQuota ?? null,
        }),
      );
      await em.insert(ApiKey, { apiClientId: saved.id, keyPrefix: issued.prefix, keyHash: issued.hash });
      return saved;
    });
    this.logger.log(`API client ${client.id} (${client.keyPrefix}) created`);
    return CreatedApiClientResponse.withKey(client, issued.key);
  }

  async hasAnyClient(): Promise<boolean> {
    return (await this.dataSource.query(`SELECT 1 FROM api_clients LIMIT 1`)).length > 0;
  }

  async list(query: ListApiClientsQueryDto): Promise<Page<ApiClientResponse>> {
    const qb = this.dataSource.getRepository(ApiClient).createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.environment) qb.andWhere('c.environment = :environment', { environment: query.environment });
    const rows = await pageNewestFirst(qb, 'c', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, ApiClientResponse.from);
  }

  async describe(caller: AuthenticatedClient): Promise<MeResponse> {
    const client = await this.get(caller.id);
    return {
      id: client.id,
      name: client.name,
      environment: client.environment,
      key_prefix: caller.keyPrefix,
      scopes: client.scopes,
      rate_limit_per_minute: client.rateLimitPerMinute,
      monthly_quota: client.monthlyQuota,
    };
  }

  async get(id: string): Promise<ApiClient> {
    const client = await this.dataSource.getRepository(ApiClient).findOneBy({ id });
    if (!client) throw new NotFoundError('API client');
    return client;
  }

  async update(id: string, dto: UpdateApiClientDto): Promise<ClientChange> {
    const sent = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
    if (!sent.length) throw nothingToChange();
    return this.mutate(id, async (em, client) => {
      if (client.status === 'revoked') {
        // Revoking again is a no-op; anything else on a revoked client is refused.
        if (sent.length === 1 && dto.status === 'revoked') return {};
        throw clientRevoked();
      }
      const next: Partial<ApiClient> = {};
      if (dto.name !== undefined) next.name = dto.name;
      if (dto.scopes !== undefined) next.scopes = dto.scopes;
      if (dto.rateLimitPerMinute !== undefined) next.rateLimitPerMinute = dto.rateLimitPerMinute;
      if (dto.monthlyQuota !== undefined) next.monthlyQuota = dto.monthlyQuota;
      if (dto.contactEmail !== undefined) next.contactEmail = dto.contactEmail;
      if (dto.allowedOrigins !== undefined) next.allowedOrigins = dto.allowedOrigins.map((o) => o.toLowerCase());
      if (dto.status !== undefined) next.status = dto.status;
      await this.assertNotLastAdmin(em, client, { ...client, ...next });
      if (dto.status === 'revoked') {
        next.revokedAt = new Date();
        await this.revokeKeys(em, id);
      }
      return next;
    });
  }

  /** Soft delete: the row stays, status revoked, every key dead. Revoking again is a no-op. */
  async revoke(id: string): Promise<ClientChange> {
    return this.mutate(id, async (em, client) => {
      if (client.status === 'revoked') return {};
      await this.assertNotLastAdmin(em, client, { ...client, status: 'revoked' });
      await this.revokeKeys(em, id);
      return { status: 'revoked', revokedAt: new Date() };
    });
  }

  private async revokeKeys(em: EntityManager, clientId: string): Promise<void> {
    await em.query(`UPDATE api_keys SET revoked_at = now() WHERE api_client_id = $1 AND revoked_at IS NULL`, [clientId]);
  }

  async rotateKey(id: string, gracePeriodSeconds = 0): Promise<{ response: RotatedKeyResponse; change: ClientChange }> {
    let issued: ReturnType<typeof generateApiKey> | undefined;
    let previousKeyExpiresAt: Date | null = null;
    const rotatedAt = new Date();
    const change = await this.mutate(id, async (em, client) => {
      if (client.status === 'revoked') throw clientRevoked();
      issued = generateApiKey(client.environment);
      if (gracePeriodSeconds > 0) {
        previousKeyExpiresAt = new Date(rotatedAt.getTime() + gracePeriodSeconds * 1000);
        // Keys already on a shorter grace keep their earlier end.
        await em.query(
          `UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
            WHERE api_client_id = $1 AND revoked_at IS NULL`,
          [id, previousKeyExpiresAt],
        );
      } else {
        await this.revokeKeys(em, id);
      }
      await em.insert(ApiKey, { apiClientId: id, keyPrefix: issued.prefix, keyHash: issued.hash, createdAt: rotatedAt });
      return { keyPrefix: issued.prefix };
    });
    const key = issued!;
    return {
      change,
      response: {
        id: change.client.id,
        name: change.client.name,
        apiKey: key.key,
        keyPrefix: key.prefix,
        rotatedAt: rotatedAt.toISOString(),
        previousKeyExpiresAt: previousKeyExpiresAt ? (previousKeyExpiresAt as Date).toISOString() : null,
        warning: KEY_SHOWN_ONCE,
      },
    };
  }

  /** Creates the bootstrap admin for ADMIN_BOOTSTRAP_KEY when no client exists yet. */
  async bootstrapAdmin(key: string): Promise<boolean> {
    const created = await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CLIENTS_LOCK]);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM api_clients`);
      if (Number(n) > 0) return false;
      const issued = { prefix: keyPrefixOf(key), hash: hashApiKey(key) };
      const saved = await em.save(
        em.create(ApiClient, {
          name: 'bootstrap admin',
          environment: environmentOf(key),
          scopes: ['admin:*'],
          status: 'active',
          keyPrefix: issued.prefix,
          contactEmail: null,
          allowedOrigins: [],
          rateLimitPerMinute: 120,
          monthlyQuota: null,
        }),
      );
      await em.insert(ApiKey, { apiClientId: saved.id, keyPrefix: issued.prefix, keyHash: issued.hash });
      return true;
    });
    return created;
  }

  /**
   * Runs a change to one client under the admin lock with the row locked, saves the fields the
   * callback returns, and drops the client's cached keys once committed.
   */
  private async mutate(
    id: string,
    change: (em: EntityManager, client: ApiClient) => Promise<Partial<ApiClient>>,
  ): Promise<ClientChange> {
    const result = await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CLIENTS_LOCK]);
      const client = await em.getRepository(ApiClient).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!client) throw new NotFoundError('API client');
      const next = await change(em, client);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(next)) {
        const old = (client as unknown as Record<string, unknown>)[field];
        if (JSON.stringify(old) !== JSON.stringify(value)) {
          before[field] = old;
          after[field] = value;
        }
      }
      if (!Object.keys(after).length) return { client, before, after };
      const updated = { ...client, ...next, updatedAt: new Date() } as ApiClient;
      await em.getRepository(ApiClient).save(updated);
      await em.query('SELECT pg_notify($1, $2)', [CLIENT_CHANGED_CHANNEL, id]);
      return { client: updated, before, after };
    });
    this.keys.invalidateClient(id);
    return result;
  }

  private async assertNotLastAdmin(em: EntityManager, current: ApiClient, next: ApiClient): Promise<void> {
    const isAdmin = (c: ApiClient) => c.status === 'active' && grants(c.scopes, 'admin:write');
    if (!isAdmin(current) || isAdmin(next)) return;
    const [{ n }] = await em.query(
      `SELECT count(*)::int AS n FROM api_clients
        WHERE status = 'active' AND id <> $1 AND scopes && ARRAY['admin:write', 'admin:*']::text[]`,
      [current.id],
    );
    if (Number(n) === 0) throw lastAdmin();
  }
}
