import assert from 'node:assert/strict';
import { type QuoteReadyMessage, quoteReadyChannel } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import { channelName, type Redis } from '@fabline/shared/redis';
import type { ModelStorage } from '@fabline/shared/storage';
import type { PrismaClient } from './db.ts';
import type { Material, Prisma } from './generated/prisma/client.ts';
import { ModelUnreadable, readAndAnalyse } from './modelAnalysis.ts';
import { materialRates, ratesFingerprint } from './pricing.ts';
import type { CachedAnalysis, QuoteCache } from './quoteCache.ts';
import type { QuoteMetrics } from './quoteMetrics.ts';

export interface PriceJobDeps {
  prisma: PrismaClient;
  redis: Redis;
  storage: ModelStorage;
  namespace: string;
  logger: Logger;
  cache: QuoteCache;
  metrics: QuoteMetrics;
}

type QuoteIdentity = 'id' | 'ownerId' | 'modelId' | 'modelSha256' | 'storageKey' | 'materialCode' | 'quantity' | 'algorithmVersion' | 'expiresAt' | 'status';
/** The columns a finished quote sets, usable both to create a quote and to finish a PENDING one. */
export type QuoteOutcome = Omit<Prisma.QuoteUncheckedCreateInput, QuoteIdentity> & { status: 'READY' | 'FAILED' };

/**
 * The finished fields of a quote for a known analysis: priced (from the price cache or now),
 * or FAILED with the geometry error's reason. Shared by mes (cache hits) and the workers.
 */
export async function quoteOutcome(cache: QuoteCache, analysis: CachedAnalysis, material: Material, quantity: number): Promise<QuoteOutcome> {
  if (!analysis.ok) return { status: 'FAILED', failureCode: analysis.code, failureReason: analysis.message };
  const rates = materialRates(material);
  const { breakdown: b, cached } = await cache.price(analysis, material.code, rates, quantity);
  return {
    status: 'READY',
    cached,
    amount: b.total,
    materialCost: b.material,
    machineCost: b.machine,
    setupFee: b.setup,
    discount: b.discount,
    minimumSurcharge: b.minimumSurcharge,
    discountPercent: b.discountPercent,
    printSeconds: b.printSeconds,
    ratesFingerprint: ratesFingerprint(material.code, rates),
    volumeMm3: analysis.volumeMm3,
    surfaceAreaMm2: analysis.surfaceAreaMm2,
    heightMm: analysis.heightMm,
    widthMm: analysis.widthMm,
    depthMm: analysis.depthMm,
    triangleCount: analysis.triangleCount,
    watertight: analysis.watertight,
    geometryHash: analysis.geometryHash,
    // an open mesh gets numbers, but a person checks them before anyone prints it
    needsReview: !analysis.watertight,
  };
}

/** Marks a PENDING quote finished and tells whoever waits; false when someone else finished it first. */
export async function finishQuote(deps: Pick<PriceJobDeps, 'prisma' | 'redis' | 'namespace' | 'metrics'>, quoteId: string, outcome: QuoteOutcome) {
  const updated = await deps.prisma.quote.updateMany({ where: { id: quoteId, status: 'PENDING' }, data: { ...outcome, completedAt: new Date() } });
  if (updated.count === 0) return false;
  if (outcome.status === 'FAILED') deps.metrics.failures.inc({ reason: String(outcome.failureCode ?? 'UNKNOWN') });
  const message: QuoteReadyMessage = { quoteId, status: outcome.status };
  await deps.redis.publish(channelName(deps.namespace, quoteReadyChannel(quoteId)), JSON.stringify(message));
  return true;
}

/**
 * Analyses the quote's model (once across all workers, see QuoteCache.analyseOnce), prices it
 * and stores the result; a quote already finished is left alone, so a redelivered job is
 * harmless. A file that is not a usable mesh fails the quote with the reason, and that
 * failure is cached too. Anything else throws: the bus retries once, then dead-letters.
 */
export async function runPriceJob(deps: PriceJobDeps, quoteId: string): Promise<'ready' | 'failed' | 'skipped'> {
  const { prisma } = deps;
  const quote = await prisma.quote.findUnique({ where: { id: quoteId }, include: { material: true } });
  if (quote?.status !== 'PENDING') return 'skipped';

  const analyse = () => readAndAnalyse(deps.storage, quote.storageKey, deps.metrics, deps.logger);

  let outcome: QuoteOutcome | undefined;
  const price = async (analysis: CachedAnalysis) => {
    outcome = await quoteOutcome(deps.cache, analysis, quote.material, quote.quantity);
  };
  try {
    const { analysis, computed } = await deps.cache.analyseOnce(quote.modelSha256, analyse, price);
    if (!computed) await price(analysis);
  } catch (error) {
    if (!(error instanceof ModelUnreadable)) throw error;
    await finishQuote(deps, quoteId, { status: 'FAILED', failureCode: 'MODEL_UNREADABLE', failureReason: 'The model file could not be read; upload it again' });
    return 'failed';
  }
  assert(outcome, 'priced under the lock or after it');
  await finishQuote(deps, quoteId, outcome);
  return outcome.status === 'READY' ? 'ready' : 'failed';
}
