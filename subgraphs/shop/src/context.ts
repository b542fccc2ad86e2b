import type { Bus } from '@fabline/shared/bus';
import { byKey, groupBy } from '@fabline/shared/loaders';
import type { OutboxRelay } from '@fabline/shared/outbox';
import type { ChannelListeners, Redis } from '@fabline/shared/redis';
import type { ModelStorage } from '@fabline/shared/storage';
import type { BaseContext } from '@fabline/shared/subgraph';
import type { createSubgraphClient } from '@fabline/shared/subgraphClient';
import DataLoader from 'dataloader';
import type { PrismaClient } from './db.ts';
import type { ShopEnv } from './env.ts';
import type { Model3D, Order, OrderItem, OrderStatusChange } from './generated/prisma/client.ts';

export interface ShopDeps {
  prisma: PrismaClient;
  bus: Bus;
  outbox: OutboxRelay;
  redis: Redis;
  listeners: ChannelListeners;
  storage: ModelStorage;
  mes: ReturnType<typeof createSubgraphClient>;
  env: ShopEnv;
}

/** Per-request loaders, so that `_entities` for many orders is one query per table. */
function createLoaders(prisma: PrismaClient) {
  return {
    order: new DataLoader<string, Order | null>(async (ids) => byKey(ids, await prisma.order.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id)),
    items: new DataLoader<string, OrderItem[]>(async (ids) =>
      groupBy(ids, await prisma.orderItem.findMany({ where: { orderId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (i) => i.orderId),
    ),
    history: new DataLoader<string, OrderStatusChange[]>(async (ids) =>
      groupBy(ids, await prisma.orderStatusChange.findMany({ where: { orderId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (h) => h.orderId),
    ),
    model: new DataLoader<string, Model3D | null>(async (ids) => byKey(ids, await prisma.model3D.findMany({ where: { id: { in: [...ids] } } }), (m) => m.id)),
  };
}

export interface ShopContext extends BaseContext, ShopDeps {
  loaders: ReturnType<typeof createLoaders>;
}

export const createContext =
  (deps: ShopDeps) =>
  (base: BaseContext): ShopContext => ({ ...base, ...deps, loaders: createLoaders(deps.prisma) });
