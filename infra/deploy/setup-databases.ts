// Creates and migrates the three databases (a Kubernetes Job / compose one-shot before the processes start).
// Seeds only outside production: production refuses to start with the demo credentials.
import { setupDatabase as setupCrm } from '@fabline/crm/setup';
import { setupDatabase as setupMes } from '@fabline/mes/setup';
import { createLogger } from '@fabline/shared/logger';
import { setupDatabase as setupShop } from '@fabline/shop/setup';
import { z } from 'zod';

const env = z
  .object({
    SHOP_DATABASE_URL: z.string(),
    CRM_DATABASE_URL: z.string(),
    MES_DATABASE_URL: z.string(),
    NODE_ENV: z.string().default('development'),
  })
  .parse(process.env);
await Promise.all([
  setupShop(env.SHOP_DATABASE_URL),
  setupCrm(env.CRM_DATABASE_URL, { seedDemo: env.NODE_ENV !== 'production' }),
  setupMes(env.MES_DATABASE_URL, { seedDemo: env.NODE_ENV !== 'production' }),
]);
createLogger({ name: 'setup-databases' }).info('databases created and migrated');
