import type { Metrics } from '@fabline/shared/metrics';
import { countQueries, prismaOptions } from '@fabline/shared/prisma';
import { PrismaClient } from './generated/prisma/client.ts';

export type { PrismaClient };

/** The one Prisma client of the process; with `metrics`, round trips are counted per table. */
export function createPrisma(databaseUrl: string, metrics?: Metrics) {
  const prisma = new PrismaClient(prismaOptions(databaseUrl));
  if (metrics) countQueries(prisma, metrics);
  return prisma;
}
