import { ApiClient } from '../admin-clients/api-client.entity';
import { ApiKey } from '../admin-clients/api-key.entity';
import { ProviderCall } from '../providers/provider-call.entity';

/** Every table the app maps; a module adding an entity adds it here. */
export const ENTITIES = [ApiClient, ApiKey, ProviderCall];
