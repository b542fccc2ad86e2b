import { randomUUID } from 'node:crypto';
import type { ChannelListeners, Redis } from '@fabline/shared/redis';
import { channelName } from '@fabline/shared/redis';
import type { MeshAnalysis } from './geometry/index.ts';
import { type MaterialRates, PRICING_ALGORITHM_VERSION, type PriceBreakdown, type PriceGeometry, priceQuote, ratesFingerprint } from './pricing.ts';
import type { QuoteMetrics } from './quoteMetrics.ts';

/** Bump when the geometry library's results change: cached analyses of the old one are not read. */
export const GEOMETRY_VERSION = 'g2';

/** What the price depends on, cached per model file; a file that cannot be analysed is cached as its failure. */
export type CachedAnalysis =
  | ({ ok: true; geometryHash: string; triangleCount: number; watertight: boolean; widthMm: number; depthMm: number } & PriceGeometry)
  | { ok: false; code: string; message: string };

export interface QuoteCacheOptions {
  redis: Redis;
  listeners: ChannelListeners;
  namespace: string;
  metrics: QuoteMetrics;
  /** Lifetime of cached analyses and prices. @default 7 days (set by QUOTE_CACHE_TTL_SECONDS) */
  ttlSeconds: number;
  /** A computation lock expires this long after its last refresh, so a killed worker never holds it for ever. @default 30 s */
  lockTtlMs: number;
}

export const toCachedAnalysis = (a: MeshAnalysis): CachedAnalysis => ({
  ok: true,
  geometryHash: a.geometryHash,
  triangleCount: a.triangleCount,
  watertight: a.watertight,
  volumeMm3: a.volumeMm3,
  surfaceAreaMm2: a.surfaceAreaMm2,
  widthMm: a.bbox.max[0] - a.bbox.min[0],
  depthMm: a.bbox.max[1] - a.bbox.min[1],
  heightMm: a.bbox.max[2] - a.bbox.min[2],
});

// compare-and-delete / compare-and-extend: only the holder's token may release or refresh a lock
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const REFRESH = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * The two quote caches in Redis. The analysis is keyed by the sha256 of the model's bytes (all
 * that is known before reading it) and gives the canonical geometry hash; the price is keyed by
 * (algorithm version, geometry hash, material and a fingerprint of its figures, quantity), so a
 * new version or an edited material price never reads an old entry.
 */
export class QuoteCache {
  constructor(private readonly options: QuoteCacheOptions) {}

  analysisKey = (modelSha256: string) => `quote:analysis:${GEOMETRY_VERSION}:${modelSha256}`;
  lockKey = (modelSha256: string) => `quote:lock:${GEOMETRY_VERSION}:${modelSha256}`;
  private doneChannel = (modelSha256: string) => channelName(this.options.namespace, `quote-analysed:${modelSha256}`);

  priceKey(geometryHash: string, materialCode: string, rates: MaterialRates, quantity: number) {
    return `quote:price:${PRICING_ALGORITHM_VERSION}:${geometryHash}:${materialCode}:${ratesFingerprint(materialCode, rates)}:${quantity}`;
  }

  async getAnalysis(modelSha256: string): Promise<CachedAnalysis | null> {
    const [analysis = null] = await this.peekAnalyses([modelSha256]);
    this.options.metrics.cacheLookups.inc({ cache: 'analysis', result: analysis ? 'hit' : 'miss' });
    return analysis;
  }

  /** The analyses of many model files in one round trip, for display: not counted as cache lookups. */
  async peekAnalyses(modelSha256s: readonly string[]): Promise<(CachedAnalysis | null)[]> {
    const raws = await this.options.redis.mget(...modelSha256s.map(this.analysisKey));
    return raws.map((raw) => (raw ? (JSON.parse(raw) as CachedAnalysis) : null));
  }

  /** The price of a known geometry: from the cache, else computed (arithmetic only) and cached. */
  async price(analysis: CachedAnalysis & { ok: true }, materialCode: string, rates: MaterialRates, quantity: number) {
    const key = this.priceKey(analysis.geometryHash, materialCode, rates, quantity);
    const raw = await this.options.redis.get(key);
    this.options.metrics.cacheLookups.inc({ cache: 'price', result: raw ? 'hit' : 'miss' });
    if (raw) return { breakdown: JSON.parse(raw) as PriceBreakdown, cached: true };
    const breakdown = priceQuote(analysis, quantity, rates);
    await this.options.redis.set(key, JSON.stringify(breakdown), 'EX', this.options.ttlSeconds);
    return { breakdown, cached: false };
  }

  /**
   * The analysis of a model file, computed at most once at a time across every worker: the
   * first takes a Redis lock (token + TTL, refreshed while it works) and publishes when the
   * result is cached; the others wait on that channel, or for the lock to expire when its
   * holder died, then look again. `analyse` may throw; nothing is cached then. `beforeShare`
   * runs under the lock before anyone else can see the analysis (the holder caches its price
   * there, so identical waiters find that too instead of pricing it again).
   */
  async analyseOnce(
    modelSha256: string,
    analyse: () => Promise<CachedAnalysis>,
    beforeShare: (analysis: CachedAnalysis) => Promise<void> = async () => {},
  ): Promise<{ analysis: CachedAnalysis; computed: boolean }> {
    const { redis, listeners, lockTtlMs, ttlSeconds } = this.options;
    const lockKey = this.lockKey(modelSha256);
    for (;;) {
      // listen before looking, so a result published in between is not missed
      const done = listeners.waitFor<{ modelSha256: string }>(this.doneChannel(modelSha256), () => true, lockTtlMs);
      await done.ready;
      const cached = await this.getAnalysis(modelSha256);
      if (cached) {
        done.cancel();
        return { analysis: cached, computed: false };
      }
      // the pid tells an operator (and the kill test) which process holds it
      const token = `${process.pid}:${randomUUID()}`;
      if ((await redis.set(lockKey, token, 'PX', lockTtlMs, 'NX')) !== 'OK') {
        await done.result;
        continue;
      }
      done.cancel();
      const refresh = setInterval(() => void redis.eval(REFRESH, 1, lockKey, token, lockTtlMs).catch(() => {}), Math.max(100, lockTtlMs / 3));
      try {
        const analysis = await analyse();
        await beforeShare(analysis);
        await redis.set(this.analysisKey(modelSha256), JSON.stringify(analysis), 'EX', ttlSeconds);
        await redis.publish(this.doneChannel(modelSha256), JSON.stringify({ modelSha256 }));
        return { analysis, computed: true };
      } finally {
        clearInterval(refresh);
        await redis.eval(RELEASE, 1, lockKey, token).catch(() => {});
      }
    }
  }
}
