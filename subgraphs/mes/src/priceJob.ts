import { type QuoteReadyMessage, quoteReadyChannel } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import { channelName, type Redis } from '@fabline/shared/redis';
import type { ModelStorage } from '@fabline/shared/storage';
import type { PrismaClient } from './db.ts';
import { analyzeMesh, GeometryError } from './geometry/index.ts';
import { priceQuote } from './pricing.ts';

export interface PriceJobDeps {
  prisma: PrismaClient;
  redis: Redis;
  storage: ModelStorage;
  namespace: string;
  logger: Logger;
}

/**
 * Analyses the quote's model, prices it and stores the result; a quote already finished is
 * left alone, so a redelivered job is harmless. A model that cannot be read as a mesh fails
 * the quote with the reason instead of retrying.
 */
export async function runPriceJob(deps: PriceJobDeps, quoteId: string) {
  const { prisma } = deps;
  const quote = await prisma.quote.findUnique({ where: { id: quoteId }, include: { material: true } });
  if (quote?.status !== 'PENDING') return;
  const finish = async (data: Parameters<typeof prisma.quote.update>[0]['data']) => {
    const updated = await prisma.quote.updateMany({ where: { id: quoteId, status: 'PENDING' }, data: { ...data, completedAt: new Date() } });
    if (updated.count === 0) return;
    const message: QuoteReadyMessage = { quoteId, status: data.status === 'READY' ? 'READY' : 'FAILED' };
    await deps.redis.publish(channelName(deps.namespace, quoteReadyChannel(quoteId)), JSON.stringify(message));
  };

  let bytes: Buffer;
  try {
    bytes = await deps.storage.read(quote.storageKey);
  } catch (error) {
    deps.logger.error({ err: error, quoteId }, 'model file missing');
    return finish({ status: 'FAILED', failureReason: 'The model file could not be read; upload it again' });
  }
  let analysis: ReturnType<typeof analyzeMesh>;
  try {
    analysis = analyzeMesh(bytes);
  } catch (error) {
    if (error instanceof GeometryError) return finish({ status: 'FAILED', failureReason: error.message });
    throw error;
  }
  const m = quote.material;
  const price = priceQuote(analysis.volumeMm3, quote.quantity, {
    densityGCm3: m.densityGCm3.toString(),
    pricePerKg: m.pricePerKg.toString(),
    machineHourlyRate: m.machineHourlyRate.toString(),
    depositionCm3PerHour: m.depositionCm3PerHour.toString(),
    setupFee: m.setupFee.toString(),
    minimumPrice: m.minimumPrice.toString(),
  });
  await finish({
    status: 'READY',
    amount: price.total,
    printSeconds: price.printSeconds,
    volumeMm3: analysis.volumeMm3,
    surfaceAreaMm2: analysis.surfaceAreaMm2,
    triangleCount: analysis.triangleCount,
    watertight: analysis.watertight,
    geometryHash: analysis.geometryHash,
    needsReview: !analysis.watertight,
  });
}
