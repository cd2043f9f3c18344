import { CreateApiClients1764770000000 } from './1764770000000-CreateApiClients';
import { CreateProviderCalls1796315745959 } from './1796315745959-CreateProviderCalls';
import { CreatePaymentsDomain1796316268635 } from './1796316268635-CreatePaymentsDomain';
import { CreateKycSessions1796317851655 } from './1796317851655-CreateKycSessions';
import { CreateApiRequests1796318600000 } from './1796318600000-CreateApiRequests';
import { CreateAuditEvents1796318601000 } from './1796318601000-CreateAuditEvents';
import { CreateIdempotencyKeys1796318602000 } from './1796318602000-CreateIdempotencyKeys';
import { CreateApiClientUsage1796318603000 } from './1796318603000-CreateApiClientUsage';

/** In order. Migrations are history: never edit one that has landed; add a new one. */
export const MIGRATIONS = [
  CreateApiClients1764770000000,
  CreateProviderCalls1796315745959,
  CreatePaymentsDomain1796316268635,
  CreateKycSessions1796317851655,
  CreateApiRequests1796318600000,
  CreateAuditEvents1796318601000,
  CreateIdempotencyKeys1796318602000,
  CreateApiClientUsage1796318603000,
];
