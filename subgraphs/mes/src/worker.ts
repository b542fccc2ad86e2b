import { EVENTS, type ModelUploaded, QUOTE_JOBS_QUEUE, type QuoteJob } from '@fabline/shared/events';
import { createServiceApp, listen, onShutdown } from '@fabline/shared/http';
import { createRuntime } from '@fabline/shared/runtime';
import { createStorage } from '@fabline/shared/storageConfig';
import { createPrisma } from './db.ts';
import { loadEnv } from './env.ts';
import { analyseUploadedModel, MODEL_ANALYSIS_QUEUE } from './modelAnalysis.ts';
import { runPriceJob } from './priceJob.ts';

// The price worker: a second entry point of the mes package, consuming quote jobs with a prefetch limit.
const env = loadEnv(process.env);
const runtime = createRuntime({ name: 'price-worker', env });
const prisma = createPrisma(env.MES_DATABASE_URL, runtime.metrics);
const deps = { prisma, redis: runtime.redis, storage: await createStorage(env), namespace: env.NAMESPACE, logger: runtime.logger };

runtime.bus.consume({ queue: QUOTE_JOBS_QUEUE, prefetch: env.WORKER_PREFETCH }, async (event) => {
  const { quoteId } = event.data as QuoteJob;
  await runPriceJob({ ...deps, logger: runtime.logger.child({ quoteId }) }, quoteId);
});

// geometry of a new upload, analysed after the upload answered (the shop publishes model.uploaded)
runtime.bus.consume({ queue: MODEL_ANALYSIS_QUEUE, bindings: [EVENTS.modelUploaded], prefetch: 1 }, async (event) => {
  const uploaded = event.data as ModelUploaded;
  const logger = runtime.logger.child({ modelId: uploaded.modelId });
  await analyseUploadedModel({ redis: runtime.redis, bus: runtime.bus, storage: deps.storage, logger, maxBytes: env.ANALYSIS_MAX_BYTES }, uploaded);
});

const app = createServiceApp({
  logger: runtime.logger,
  metrics: runtime.metrics,
  readiness: { ...runtime.readiness, postgres: () => prisma.$queryRaw`SELECT 1` },
});
const { server, port } = await listen(app, env.WORKER_PORT);
runtime.logger.info({ port, prefetch: env.WORKER_PREFETCH }, 'price worker consuming');

onShutdown(runtime.logger, async () => {
  server.close();
  await runtime.close();
  await prisma.$disconnect();
});
