import type { Bus } from '@fabline/shared/bus';
import type { ModelUploaded } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import type { ModelStorage } from '@fabline/shared/storage';
import { analyzeMesh, GeometryError } from './geometry/index.ts';
import { type CachedAnalysis, type QuoteCache, toCachedAnalysis } from './quoteCache.ts';
import type { QuoteMetrics } from './quoteMetrics.ts';

export const MODEL_ANALYZED = 'model.analyzed';

/** The stored file could not be read (deleted, storage down): not the customer's mesh's fault. */
export class ModelUnreadable extends Error {}

/**
 * Reads a stored model and analyses it: the one computation behind both the upload-time
 * analysis and the quote job. A file that is not a usable mesh gives its failure (cached like a
 * result); anything else throws.
 */
export async function readAndAnalyse(storage: ModelStorage, storageKey: string, metrics: QuoteMetrics, logger: Logger): Promise<CachedAnalysis> {
  let bytes: Buffer;
  try {
    bytes = await storage.read(storageKey);
  } catch (error) {
    logger.error({ err: error, storageKey }, 'model file missing');
    throw new ModelUnreadable();
  }
  metrics.analyses.inc();
  try {
    return toCachedAnalysis(analyzeMesh(bytes));
  } catch (error) {
    if (error instanceof GeometryError) return { ok: false, code: error.reason, message: error.message };
    throw error;
  }
}

export interface ModelAnalysisDeps {
  cache: QuoteCache;
  bus: Bus;
  storage: ModelStorage;
  metrics: QuoteMetrics;
  logger: Logger;
  /** Larger models are left to the quote job (analysis reads the file whole); 0 turns upload-time analysis off. */
  maxBytes: number;
}

/** What `model.analyzed` carries. */
export type ModelAnalyzed = { modelId: string; sha256: string } & CachedAnalysis;

/**
 * Analyses a just-uploaded model off the upload request, into the quote cache's analysis entry
 * (keyed by the file's sha256, computed once across workers), so the model's `analysis` field
 * shows it and a first quote of the model is priced at once instead of by a job.
 */
export async function analyseUploadedModel(deps: ModelAnalysisDeps, event: ModelUploaded) {
  if (event.sizeBytes > deps.maxBytes) {
    deps.logger.info({ modelId: event.modelId, sizeBytes: event.sizeBytes }, 'model too large for upload-time analysis; its first quote analyses it');
    return;
  }
  try {
    const { analysis } = await deps.cache.analyseOnce(event.sha256, () => readAndAnalyse(deps.storage, event.storageKey, deps.metrics, deps.logger));
    await deps.bus.publish(MODEL_ANALYZED, { modelId: event.modelId, sha256: event.sha256, ...analysis } satisfies ModelAnalyzed);
  } catch (error) {
    // a model deleted before its analysis ran: nothing to analyse, nothing to retry
    if (!(error instanceof ModelUnreadable)) throw error;
  }
}
