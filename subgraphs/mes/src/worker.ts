import { listenHost } from '@fabline/shared/env';
import { type ModelUploaded, QUOTE_JOBS_QUEUE, type QuoteJob } from '@fabline/shared/events';
import { announceListening, createServiceApp, listen, onShutdown } from '@fabline/shared/http';
import { createRuntime } from '@fabline/shared/runtime';
import { createStorage } from '@fabline/shared/storageConfig';
import { QUEUES } from '@fabline/shared/topology';
import { createPrisma } from './db.ts';
import { loadEnv } from './env.ts';
import { analyseUploadedModel } from './modelAnalysis.ts';
import { finishQuote, runPriceJob } from './priceJob.ts';
import { QuoteCache } from './quoteCache.ts';
import { createQuoteMetrics } from './quoteMetrics.ts';

// The price worker: a second entry point of the mes package, consuming quote jobs with a prefetch limit.
const env = loadEnv(process.env);
const runtime = createRuntime({ name: 'price-worker', env });
const prisma = createPrisma(env.MES_DATABASE_URL, runtime.metrics);
const metrics = createQuoteMetrics(runtime.metrics, runtime.bus);
const cache = new QuoteCache({
  redis: runtime.redis,
  listeners: runtime.listeners,
  namespace: env.NAMESPACE,
  metrics,
  ttlSeconds: env.QUOTE_CACHE_TTL_SECONDS,
  lockTtlMs: env.QUOTE_LOCK_TTL_MS,
});
const deps = { prisma, redis: runtime.redis, storage: await createStorage(env), namespace: env.NAMESPACE, logger: runtime.logger, cache, metrics };

runtime.bus.consume({ queue: QUOTE_JOBS_QUEUE, prefetch: env.WORKER_PREFETCH, deadLetter: true }, async (event, message) => {
  const { quoteId } = (event?.data ?? {}) as Partial<QuoteJob>;
  const logger = runtime.logger.child({ quoteId, redelivered: message.redelivered });
  const stop = metrics.jobDuration.startTimer();
  try {
    const outcome = await runPriceJob({ ...deps, logger }, String(quoteId));
    stop({ outcome });
  } catch (error) {
    stop({ outcome: 'error' });
    // second failure: the bus dead-letters the job, so the customer gets an answer instead of a quote pending for ever
    if (message.redelivered && typeof quoteId === 'string' && /^[0-9a-f-]{36}$/i.test(quoteId)) {
      await finishQuote(deps, quoteId, {
        status: 'FAILED',
        failureCode: 'INTERNAL',
        failureReason: 'The price could not be computed; our team has been notified',
      }).catch((err: unknown) => logger.error({ err }, 'could not mark the quote failed'));
    }
    throw error;
  }
});

// geometry of a new upload, analysed after the upload answered (the shop publishes model.uploaded)
runtime.bus.consume({ spec: QUEUES.modelAnalysis, prefetch: 1 }, async (event) => {
  const uploaded = event.data as ModelUploaded;
  const logger = runtime.logger.child({ modelId: uploaded.modelId });
  await analyseUploadedModel({ cache, bus: runtime.bus, storage: deps.storage, metrics, logger, maxBytes: env.ANALYSIS_MAX_BYTES }, uploaded);
});

const app = createServiceApp({
  logger: runtime.logger,
  metrics: runtime.metrics,
  readiness: { ...runtime.readiness, postgres: () => prisma.$queryRaw`SELECT 1` },
});
const { server, port } = await listen(app, env.WORKER_PORT, { host: listenHost(env) });
runtime.logger.info({ port, prefetch: env.WORKER_PREFETCH }, 'price worker consuming');
announceListening(port);

onShutdown(runtime.logger, async () => {
  server.close();
  await runtime.close();
  await prisma.$disconnect();
});
