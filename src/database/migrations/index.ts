import { CreateApiClients1764770000000 } from './1764770000000-CreateApiClients';
import { CreateProviderCalls1796315745959 } from './1796315745959-CreateProviderCalls';
import { CreatePaymentsDomain1796316268635 } from './1796316268635-CreatePaymentsDomain';
import { CreateApiRequests1796317200000 } from './1796317200000-CreateApiRequests';
import { CreateAuditEvents1796317201000 } from './1796317201000-CreateAuditEvents';
import { CreateIdempotencyKeys1796317202000 } from './1796317202000-CreateIdempotencyKeys';
import { CreateApiClientUsage1796317203000 } from './1796317203000-CreateApiClientUsage';

/** In order. Migrations are history: never edit one that has landed; add a new one. */
export const MIGRATIONS = [
  CreateApiClients1764770000000,
  CreateProviderCalls1796315745959,
  CreatePaymentsDomain1796316268635,
  CreateApiRequests1796317200000,
  CreateAuditEvents1796317201000,
  CreateIdempotencyKeys1796317202000,
  CreateApiClientUsage1796317203000,
];
