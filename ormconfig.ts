import { loadConfig } from './src/config/app-config';
import { createDataSource } from './src/database/data-source';

/** The TypeORM CLI's DataSource: the same options the app uses (npm run typeorm -- migration:show). */
export default createDataSource(loadConfig());
