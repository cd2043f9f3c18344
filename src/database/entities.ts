import { ApiClient } from '../admin-clients/api-client.entity';
import { ApiKey } from '../admin-clients/api-key.entity';
import { ProviderCall } from '../providers/provider-call.entity';
import { CustomerProfile, InsuranceProduct, Policy, QuoteApplication } from '../insurance/insurance.entities';
import { Payment } from '../payments/payment.entity';
import { ReconciliationRun } from '../reconciliation/reconciliation-run.entity';

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
];
