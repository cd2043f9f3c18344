import { ApiClient } from '../admin-clients/api-client.entity';
import { ApiKey } from '../admin-clients/api-key.entity';
import { ApiRequest } from '../request-log/api-request.entity';
import { AuditEvent } from '../audit-log/audit-event.entity';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { ApiClientUsage } from '../access/api-client-usage.entity';

/** Every table the app maps; a module adding an entity adds it here. */
export const ENTITIES = [ApiClient, ApiKey, ApiRequest, AuditEvent, IdempotencyRecord, ApiClientUsage];
