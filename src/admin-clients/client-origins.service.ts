import { Injectable } from '@nestjs/common';
import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException, GatewayRequest, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '@app/common';
import { AppConfig } from '../config/app-config';
import { ApiKeyAuthService } from './api-key-auth.service';

/** What a browser may send and read; the rest of CORS is decided per origin below. */
const CORS_POLICY: Omit<CorsOptions, 'origin'> = {
  methods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowedHeaders: ['x-api-key', 'content-type', IDEMPOTENCY_KEY_HEADER, 'x-request-id'],
  exposedHeaders: [
    'x-request-id',
    'x-ratelimit-limit',
    'x-ratelimit-remaining',
    'x-ratelimit-reset',
    'retry-after',
    IDEMPOTENT_REPLAYED_HEADER,
  ],
  maxAge: 600,
};

/**
 * CORS at the front door. A preflight carries no key, so it is answered for any origin that
 * some active client allows (the union of their allowedOrigins, cached like keys and dropped
 * on every client change); the request that follows is then held to its own client's list by
 * the access policy (403 ORIGIN_NOT_ALLOWED).
 */
@Injectable()
export class ClientOriginsService {
  private cached?: { origins: Set<string>; at: number };
  private loading?: Promise<Set<string>>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    keys: ApiKeyAuthService,
  ) {
    keys.onClientsChanged(() => {
      this.cached = undefined;
      this.loading = undefined;
    });
  }

  async allowedBySomeClient(origin: string): Promise<boolean> {
    return (await this.origins()).has(origin.toLowerCase());
  }

  /** For app.enableCors(): allowed origins get the CORS headers; a refused preflight is a 403. */
  corsDelegate(): CorsOptionsDelegate<GatewayRequest> {
    return (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, { origin: false });
      this.allowedBySomeClient(origin).then(
        (allowed) => {
          if (!allowed && isPreflight(req)) {
            return callback(new AppException('ORIGIN_NOT_ALLOWED', `No active API client allows the origin ${origin}`), {});
          }
          callback(null, { ...CORS_POLICY, origin: allowed ? origin : false });
        },
        (err: Error) => callback(err, {}),
      );
    };
  }

  private origins(): Promise<Set<string>> {
    if (this.cached && Date.now() - this.cached.at < this.config.KEY_CACHE_TTL_MS) {
      return Promise.resolve(this.cached.origins);
    }
    if (!this.loading) {
      const loading = this.dataSource
        .query(`SELECT DISTINCT unnest(allowed_origins) AS origin FROM api_clients WHERE status = 'active'`)
        .then((rows: Array<{ origin: string }>) => {
          const origins = new Set(rows.map((r) => r.origin));
          // An invalidation while the query ran replaced `loading`: then this answer is stale.
          if (this.loading === loading) this.cached = { origins, at: Date.now() };
          return origins;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = undefined;
        });
      this.loading = loading;
    }
    return this.loading;
  }
}

function isPreflight(req: GatewayRequest): boolean {
  return req.method === 'OPTIONS' && !!req.headers['access-control-request-method'];
}
