import { CreateApiClients1764770000000 } from './1764770000000-CreateApiClients';
import { CreateApiRequests1764780000000 } from './1764780000000-CreateApiRequests';
import { CreateAuditEvents1764780001000 } from './1764780001000-CreateAuditEvents';
import { CreateIdempotencyKeys1764780002000 } from './1764780002000-CreateIdempotencyKeys';
import { CreateApiClientUsage1764780003000 } from './1764780003000-CreateApiClientUsage';

/** In order. Migrations are history: never edit one that has landed; add a new one. */
export const MIGRATIONS = [
  CreateApiClients1764770000000,
  CreateApiRequests1764780000000,
  CreateAuditEvents1764780001000,
  CreateIdempotencyKeys1764780002000,
  CreateApiClientUsage1764780003000,
];
