import type { Bus } from '@fabline/shared/bus';
import type { FieldRateLimits } from '@fabline/shared/fieldRateLimit';
import { byKey } from '@fabline/shared/loaders';
import type { ChannelListeners } from '@fabline/shared/redis';
import type { BaseContext } from '@fabline/shared/subgraph';
import type { createSubgraphClient } from '@fabline/shared/subgraphClient';
import DataLoader from 'dataloader';
import type { PrismaClient } from './db.ts';
import type { MesEnv } from './env.ts';
import type { Material, ProductionOrder, Quote } from './generated/prisma/client.ts';

export interface MesDeps {
  /** Field-level rate limits (absent in tests that build the server without Redis). */
  fieldLimits?: FieldRateLimits;
  prisma: PrismaClient;
  bus: Bus;
  listeners: ChannelListeners;
  shop: ReturnType<typeof createSubgraphClient>;
  env: MesEnv;
}

/** Per-request loaders: `_entities` for many orders or quotes is one query per table. */
function createLoaders(prisma: PrismaClient) {
  return {
    quote: new DataLoader<string, Quote | null>(async (ids) => byKey(ids, await prisma.quote.findMany({ where: { id: { in: [...ids] } } }), (q) => q.id)),
    material: new DataLoader<string, Material | null>(async (codes) =>
      byKey(codes, await prisma.material.findMany({ where: { code: { in: [...codes] } } }), (m) => m.code),
    ),
    production: new DataLoader<string, ProductionOrder | null>(async (ids) =>
      byKey(ids, await prisma.productionOrder.findMany({ where: { orderId: { in: [...ids] } } }), (p) => p.orderId),
    ),
  };
}

export interface MesContext extends BaseContext, MesDeps {
  loaders: ReturnType<typeof createLoaders>;
}

export const createContext =
  (deps: MesDeps) =>
  (base: BaseContext): MesContext => ({ ...base, ...deps, loaders: createLoaders(deps.prisma) });
