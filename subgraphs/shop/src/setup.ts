import { ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';

export const migrationsDir = new URL('../prisma/migrations', import.meta.url).pathname;

/** Creates and migrates the shop database (it has no seed data). */
export async function setupDatabase(databaseUrl: string) {
  await ensureDatabase(databaseUrl);
  await migrate({ databaseUrl, migrationsDir });
}
