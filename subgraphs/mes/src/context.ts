import type { Bus } from '@fabline/shared/bus';
import type { FieldRateLimits } from '@fabline/shared/fieldRateLimit';
import { byKey } from '@fabline/shared/loaders';
import type { OutboxRelay } from '@fabline/shared/outbox';
import type { ChannelListeners } from '@fabline/shared/redis';
import type { BaseContext } from '@fabline/shared/subgraph';
import type { createSubgraphClient } from '@fabline/shared/subgraphClient';
import DataLoader from 'dataloader';
import type { PrismaClient } from './db.ts';
import type { MesEnv } from './env.ts';
import type { ArchivedProductionOrder, Material, Printer, ProductionOrder, Quote } from './generated/prisma/client.ts';
import { loadPrinterQueues, type PrinterQueuePage } from './printers.ts';
import type { CachedAnalysis, QuoteCache } from './quoteCache.ts';
import type { QuoteMetrics } from './quoteMetrics.ts';

export interface MesDeps {
  /** Field-level rate limits (absent in tests that build the server without Redis). */
  fieldLimits?: FieldRateLimits;
  prisma: PrismaClient;
  bus: Bus;
  outbox: OutboxRelay;
  listeners: ChannelListeners;
  shop: ReturnType<typeof createSubgraphClient>;
  env: MesEnv;
  quoteCache: QuoteCache;
  quoteMetrics: QuoteMetrics;
}

/** An order's production row: active work, or archived once shipped. */
export type ProductionRow = ProductionOrder | ArchivedProductionOrder;

/** Per-request loaders: `_entities` for many orders or quotes is one query per table. */
function createLoaders(prisma: PrismaClient, quoteCache: QuoteCache) {
  return {
    /** Analyses of model files by sha256, one MGET per request tick. */
    analysis: new DataLoader<string, CachedAnalysis | null>((shas) => quoteCache.peekAnalyses(shas)),
    quote: new DataLoader<string, Quote | null>(async (ids) => byKey(ids, await prisma.quote.findMany({ where: { id: { in: [...ids] } } }), (q) => q.id)),
    material: new DataLoader<string, Material | null>(async (codes) =>
      byKey(codes, await prisma.material.findMany({ where: { code: { in: [...codes] } } }), (m) => m.code),
    ),
    printer: new DataLoader<string, Printer | null>(async (ids) => byKey(ids, await prisma.printer.findMany({ where: { id: { in: [...ids] } } }), (p) => p.id)),
    /** Printers' queues (key: printer id and page size): two queries for every printer of a request. */
    printerQueue: new DataLoader<{ printerId: string; first: number }, PrinterQueuePage, string>((keys) => loadPrinterQueues(prisma, keys), {
      cacheKeyFn: ({ printerId, first }) => `${printerId}:${first}`,
    }),
    /** Active work first; only the ids not found there are looked up in the archive. */
    production: new DataLoader<string, ProductionOrder | ArchivedProductionOrder | null>(async (ids) => {
      const hot = byKey(ids, await prisma.productionOrder.findMany({ where: { orderId: { in: [...ids] } } }), (p) => p.orderId);
      const missing = ids.filter((_, i) => !hot[i]);
      if (missing.length === 0) return hot;
      const cold = new Map((await prisma.archivedProductionOrder.findMany({ where: { orderId: { in: missing } } })).map((p) => [p.orderId, p]));
      return ids.map((id, i) => hot[i] ?? cold.get(id) ?? null);
    }),
  };
}

export interface MesContext extends BaseContext, MesDeps {
  loaders: ReturnType<typeof createLoaders>;
}

export const createContext =
  (deps: MesDeps) =>
  (base: BaseContext): MesContext => ({ ...base, ...deps, loaders: createLoaders(deps.prisma, deps.quoteCache) });
