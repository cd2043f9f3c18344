import { CreateApiClients1764770000000 } from './1764770000000-CreateApiClients';

/** In order. Migrations are history: never edit one that has landed; add a new one. */
export const MIGRATIONS = [CreateApiClients1764770000000];
