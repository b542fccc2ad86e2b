import { ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';
import { createPrisma } from './db.ts';
import { seed } from './seed.ts';

export const migrationsDir = new URL('../prisma/migrations', import.meta.url).pathname;

/** Creates, migrates and (unless told not to) seeds the crm database with the demo accounts. */
export async function setupDatabase(databaseUrl: string, { seedDemo = true }: { seedDemo?: boolean } = {}) {
  await ensureDatabase(databaseUrl);
  await migrate({ databaseUrl, migrationsDir });
  if (!seedDemo) return;
  const prisma = createPrisma(databaseUrl);
  try {
    await seed(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
