import type { Bus } from '@fabline/shared/bus';
import type { ModelUploaded } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import type { Redis } from '@fabline/shared/redis';
import type { ModelStorage } from '@fabline/shared/storage';
import { analyzeMesh, GeometryError } from './geometry/index.ts';

export const MODEL_ANALYZED = 'model.analyzed';
/** Redis key of a model's stored analysis, by content hash: the same bytes are analysed once. */
export const modelAnalysisKey = (sha256: string) => `model-analysis:${sha256}`;

export interface ModelAnalysisDeps {
  redis: Redis;
  bus: Bus;
  storage: ModelStorage;
  logger: Logger;
  /** Larger models are left to the quote job (analysis reads the file whole). */
  maxBytes: number;
  /** @default 30 days */
  ttlSeconds?: number;
}

/** What `model.analyzed` carries and Redis keeps: the geometry, or why the file is not a usable mesh. */
export type ModelAnalysisRecord = { modelId: string; sha256: string; analyzedAt: string } & (
  | { ok: true; volumeMm3: number; surfaceAreaMm2: number; triangleCount: number; watertight: boolean; geometryHash: string }
  | { ok: false; reason: string }
);

/** Analyses a just-uploaded model off the upload request, stores the result and announces it. */
export async function analyseUploadedModel(deps: ModelAnalysisDeps, event: ModelUploaded) {
  const key = modelAnalysisKey(event.sha256);
  if (event.sizeBytes > deps.maxBytes) {
    deps.logger.info({ modelId: event.modelId, sizeBytes: event.sizeBytes }, 'model too large for eager analysis; the quote job analyses it');
    return;
  }
  if (await deps.redis.exists(key)) return;
  const base = { modelId: event.modelId, sha256: event.sha256, analyzedAt: new Date().toISOString() };
  let record: ModelAnalysisRecord;
  try {
    const a = analyzeMesh(await deps.storage.read(event.storageKey));
    record = {
      ...base,
      ok: true,
      volumeMm3: a.volumeMm3,
      surfaceAreaMm2: a.surfaceAreaMm2,
      triangleCount: a.triangleCount,
      watertight: a.watertight,
      geometryHash: a.geometryHash,
    };
  } catch (error) {
    if (!(error instanceof GeometryError)) throw error;
    record = { ...base, ok: false, reason: error.message };
  }
  await deps.redis.set(key, JSON.stringify(record), 'EX', deps.ttlSeconds ?? 30 * 24 * 3600);
  await deps.bus.publish(MODEL_ANALYZED, record);
}
