import { ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';
import { createPrisma } from './db.ts';
import { seed } from './seed.ts';

export const migrationsDir = new URL('../prisma/migrations', import.meta.url).pathname;

/** Creates, migrates and seeds the mes database: the materials always, the demo printers unless told not to. */
export async function setupDatabase(databaseUrl: string, { seedDemo = true }: { seedDemo?: boolean } = {}) {
  await ensureDatabase(databaseUrl);
  await migrate({ databaseUrl, migrationsDir });
  const prisma = createPrisma(databaseUrl);
  try {
    await seed(prisma, { printers: seedDemo });
  } finally {
    await prisma.$disconnect();
  }
}
