import { ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';
import { createPrisma } from './db.ts';
import { seed } from './seed.ts';

export const migrationsDir = new URL('../prisma/migrations', import.meta.url).pathname;

/** Creates, migrates and seeds the crm database. */
export async function setupDatabase(databaseUrl: string) {
  await ensureDatabase(databaseUrl);
  await migrate({ databaseUrl, migrationsDir });
  const prisma = createPrisma(databaseUrl);
  try {
    await seed(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
