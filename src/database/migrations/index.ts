import { CreateApiClients1764770000000 } from './1764770000000-CreateApiClients';
import { CreateProviderCalls1796315745959 } from './1796315745959-CreateProviderCalls';
import { CreatePaymentsDomain1796316268635 } from './1796316268635-CreatePaymentsDomain';
import { CreateKycSessions1796317851655 } from './1796317851655-CreateKycSessions';

/** In order. Migrations are history: never edit one that has landed; add a new one. */
export const MIGRATIONS = [CreateApiClients1764770000000, CreateProviderCalls1796315745959, CreatePaymentsDomain1796316268635, CreateKycSessions1796317851655];
