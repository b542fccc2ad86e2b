import type { Bus } from '@fabline/shared/bus';
import type { FieldRateLimits } from '@fabline/shared/fieldRateLimit';
import { byKey, groupBy } from '@fabline/shared/loaders';
import type { OutboxRelay } from '@fabline/shared/outbox';
import type { ChannelListeners } from '@fabline/shared/redis';
import type { BaseContext } from '@fabline/shared/subgraph';
import DataLoader from 'dataloader';
import type { PrismaClient } from './db.ts';
import type { CrmEnv } from './env.ts';
import type { Account, Note, Review } from './generated/prisma/client.ts';

/** Long-lived parts of the process, shared by all requests. */
export interface CrmDeps {
  /** Field-level rate limits (absent in tests that build the server without Redis). */
  fieldLimits?: FieldRateLimits;
  prisma: PrismaClient;
  bus: Bus;
  outbox: OutboxRelay;
  listeners: ChannelListeners;
  env: CrmEnv;
}

/** Per-request loaders: `_entities` for 50 orders costs one query per table, not 50. */
function createLoaders(prisma: PrismaClient) {
  return {
    account: new DataLoader<string, Account | null>(async (ids) => byKey(ids, await prisma.account.findMany({ where: { id: { in: [...ids] } } }), (a) => a.id)),
    review: new DataLoader<string, Review | null>(async (orderIds) =>
      byKey(orderIds, await prisma.review.findMany({ where: { orderId: { in: [...orderIds] } } }), (r) => r.orderId),
    ),
    notes: new DataLoader<string, Note[]>(async (orderIds) => {
      const rows = await prisma.note.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { createdAt: 'asc' } });
      return groupBy(orderIds, rows, (n) => n.orderId);
    }),
  };
}

export interface CrmContext extends BaseContext, CrmDeps {
  loaders: ReturnType<typeof createLoaders>;
}

export const createContext =
  (deps: CrmDeps) =>
  (base: BaseContext): CrmContext => ({ ...base, ...deps, loaders: createLoaders(deps.prisma) });
