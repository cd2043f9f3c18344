import { ApiClient } from '../admin-clients/api-client.entity';
import { ApiKey } from '../admin-clients/api-key.entity';
import { ProviderCall } from '../providers/provider-call.entity';
import { CustomerProfile, InsuranceProduct, Policy, QuoteApplication } from '../insurance/insurance.entities';
import { Payment } from '../payments/payment.entity';
import { ReconciliationRun } from '../reconciliation/reconciliation-run.entity';
import { ApiRequest } from '../request-log/api-request.entity';
import { AuditEvent } from '../audit-log/audit-event.entity';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { ApiClientUsage } from '../access/api-client-usage.entity';

/** Every table the app maps; a module adding an entity adds it here. */
export const ENTITIES = [
  ApiClient,
  ApiKey,
  ProviderCall,
  InsuranceProduct,
  CustomerProfile,
  QuoteApplication,
  Policy,
  Payment,
  ReconciliationRun,
  ApiRequest,
  AuditEvent,
  IdempotencyRecord,
  ApiClientUsage,
];
