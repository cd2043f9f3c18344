import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuthenticatedClient,
  generateApiKey,
  RequestActor,
  grants,
  hashApiKey,
  environmentOf,
  keyPrefixOf,
  NotFoundError,
  Page,
  pageNewestFirst,
  toPage,
} from '@app/common';
import { AuditAction, AuditLogService } from '../audit-log/audit-log.service';
import { nextMonthStart, UsageService } from '../access/usage.service';
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

interface ClientChange {
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
    private readonly audit: AuditLogService,
    private readonly usage: UsageService,
  ) {}

  /** Creates a client and its key; `actor` is absent when the gateway itself creates one (CLI). */
  async create(dto: CreateApiClientDto, actor?: RequestActor, presetKey?: string): Promise<CreatedApiClientResponse> {
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
      await this.recordCreated(em, saved, actor);
      // Other replicas cache the union of allowed origins (CORS preflights): tell them.
      await em.query('SELECT pg_notify($1, $2)', [CLIENT_CHANGED_CHANNEL, saved.id]);
      return saved;
    });
    this.keys.invalidateClient(client.id);
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
    const usage = await this.usage.usageFor(rows.slice(0, query.limit).map((c) => c.id));
    return toPage(rows, query.limit, (c) => ApiClientResponse.from(c, usage.get(c.id)));
  }

  /**
   * GET /me from what the key check already knows (kept current by cache invalidation on every
   * change): a partner polling it costs no database round trip. key_prefix is the presented
   * key's (during a rotation's grace, the old one).
   */
  async describe(caller: AuthenticatedClient): Promise<MeResponse> {
    const now = new Date();
    return {
      id: caller.id,
      name: caller.name,
      environment: caller.environment,
      key_prefix: caller.keyPrefix,
      scopes: caller.scopes,
      rate_limit_per_minute: caller.rateLimitPerMinute,
      monthly_quota: caller.monthlyQuota,
      usage_this_month: await this.usage.usageOf(caller.id),
      usage_resets_at: nextMonthStart(now).toISOString(),
    };
  }

  async get(id: string): Promise<ApiClient> {
    const client = await this.dataSource.getRepository(ApiClient).findOneBy({ id });
    if (!client) throw new NotFoundError('API client');
    return client;
  }

  /** A client as operators see it, with this month's usage. */
  async view(client: ApiClient): Promise<ApiClientResponse> {
    const usage = await this.usage.usageFor([client.id]);
    return ApiClientResponse.from(client, usage.get(client.id));
  }

  async findOne(id: string): Promise<ApiClientResponse> {
    return this.view(await this.get(id));
  }

  async update(id: string, dto: UpdateApiClientDto, actor?: RequestActor): Promise<ApiClientResponse> {
    const sent = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
    if (!sent.length) throw nothingToChange();
    const change = await this.mutate(id, actor, patchAction, async (em, client) => {
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
    return this.view(change.client);
  }

  /** Soft delete: the row stays, status revoked, every key dead. Revoking again is a no-op. */
  async revoke(id: string, actor?: RequestActor): Promise<ApiClientResponse> {
    const change = await this.mutate(id, actor, () => 'api_client.revoked', async (em, client) => {
      if (client.status === 'revoked') return {};
      await this.assertNotLastAdmin(em, client, { ...client, status: 'revoked' });
      await this.revokeKeys(em, id);
      return { status: 'revoked', revokedAt: new Date() };
    });
    return this.view(change.client);
  }

  private async revokeKeys(em: EntityManager, clientId: string): Promise<void> {
    await em.query(`UPDATE api_keys SET revoked_at = now() WHERE api_client_id = $1 AND revoked_at IS NULL`, [clientId]);
  }

  async rotateKey(id: string, gracePeriodSeconds = 0, actor?: RequestActor): Promise<RotatedKeyResponse> {
    let issued: ReturnType<typeof generateApiKey> | undefined;
    let previousKeyExpiresAt: Date | null = null;
    const rotatedAt = new Date();
    const auditAs = () => ({ action: 'api_client.key_rotated' as const, after: { previousKeyExpiresAt } });
    const change = await this.mutate(id, actor, auditAs, async (em, client) => {
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
      id: change.client.id,
      name: change.client.name,
      apiKey: key.key,
      keyPrefix: key.prefix,
      rotatedAt: rotatedAt.toISOString(),
      previousKeyExpiresAt: previousKeyExpiresAt ? (previousKeyExpiresAt as Date).toISOString() : null,
      warning: KEY_SHOWN_ONCE,
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
      await this.recordCreated(em, saved);
      return true;
    });
    return created;
  }

  private async recordCreated(em: EntityManager, client: ApiClient, actor?: RequestActor): Promise<void> {
    const { id, name, environment, scopes, status, keyPrefix, contactEmail, allowedOrigins, rateLimitPerMinute, monthlyQuota } =
      client;
    await this.audit.record(
      {
        actor,
        action: 'api_client.created',
        targetType: 'api_client',
        targetId: id,
        after: apiFieldNames({ name, environment, scopes, status, keyPrefix, contactEmail, allowedOrigins, rateLimitPerMinute, monthlyQuota }),
      },
      em,
    );
  }

  /**
   * Runs a change to one client under the admin lock with the row locked, saves the fields the
   * callback returns with their audit event in the same transaction, and drops the client's
   * cached keys once committed. A change that changes nothing is not audited.
   */
  private async mutate(
    id: string,
    actor: RequestActor | undefined,
    /** The audit action for the changed fields, or the action plus facts that are not fields. */
    auditAs: (after: Partial<ApiClient>) => AuditAction | { action: AuditAction; after: Record<string, unknown> },
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
      const audited = auditAs(after);
      const [action, extra] = typeof audited === 'string' ? [audited, {}] : [audited.action, audited.after];
      await this.audit.record(
        {
          actor,
          action,
          targetType: 'api_client',
          targetId: id,
          before: apiFieldNames(before),
          after: apiFieldNames({ ...after, ...extra }),
        },
        em,
      );
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

/** A PATCH is audited by what it did to the status, if anything; otherwise as patched. */
function patchAction(after: Partial<ApiClient>): AuditAction {
  switch (after.status) {
    case 'revoked':
      return 'api_client.revoked';
    case 'suspended':
      return 'api_client.suspended';
    case 'active':
      return 'api_client.reactivated';
    default:
      return 'api_client.patched';
  }
}

/** Entity fields under the names the API shows (rateLimitPerMinute → rate_limit_per_minute). */
function apiFieldNames(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}
