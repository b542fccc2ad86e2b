import { listenHost } from '@fabline/shared/env';
import { createFieldRateLimits } from '@fabline/shared/fieldRateLimit';
import { announceListening, listen, onShutdown } from '@fabline/shared/http';
import { OutboxRelay } from '@fabline/shared/outbox';
import { createRuntime } from '@fabline/shared/runtime';
import { createSubgraphClient } from '@fabline/shared/subgraphClient';
import { startConsumers } from './consumers.ts';
import { createPrisma } from './db.ts';
import { loadEnv } from './env.ts';
import { QuoteCache } from './quoteCache.ts';
import { createQuoteMetrics } from './quoteMetrics.ts';
import { createMesServer } from './server.ts';

const env = loadEnv(process.env);
const runtime = createRuntime({ name: 'mes', env });
const prisma = createPrisma(env.MES_DATABASE_URL, runtime.metrics);
const outbox = new OutboxRelay({ db: prisma, bus: runtime.bus, logger: runtime.logger, metrics: runtime.metrics }).start();
const quoteMetrics = createQuoteMetrics(runtime.metrics, runtime.bus);
const quoteCache = new QuoteCache({
  redis: runtime.redis,
  listeners: runtime.listeners,
  namespace: env.NAMESPACE,
  metrics: quoteMetrics,
  ttlSeconds: env.QUOTE_CACHE_TTL_SECONDS,
  lockTtlMs: env.QUOTE_LOCK_TTL_MS,
});
const deps = {
  prisma,
  bus: runtime.bus,
  outbox,
  listeners: runtime.listeners,
  shop: createSubgraphClient({ url: env.SHOP_URL, internalSecret: env.INTERNAL_SECRET }),
  env,
  quoteCache,
  quoteMetrics,
  fieldLimits: createFieldRateLimits(runtime.redis, runtime.logger),
};
startConsumers(runtime.bus, prisma, env, outbox);
const { app, server } = await createMesServer(deps, runtime);
const { server: http, port } = await listen(app, env.MES_PORT, { host: listenHost(env) });
runtime.logger.info({ port }, 'mes subgraph listening');
announceListening(port);

onShutdown(runtime.logger, async () => {
  http.close();
  await server.stop();
  await outbox.stop();
  await runtime.close();
  await prisma.$disconnect();
});
