import { listenHost } from '@fabline/shared/env';
import { announceListening, listen, onShutdown } from '@fabline/shared/http';
import { OutboxRelay } from '@fabline/shared/outbox';
import { createRuntime } from '@fabline/shared/runtime';
import { createStorage } from '@fabline/shared/storageConfig';
import { createSubgraphClient } from '@fabline/shared/subgraphClient';
import { startConsumers } from './consumers.ts';
import { createPrisma } from './db.ts';
import { loadEnv } from './env.ts';
import { createShopServer } from './server.ts';

const env = loadEnv(process.env);
const runtime = createRuntime({ name: 'shop', env });
const prisma = createPrisma(env.SHOP_DATABASE_URL, runtime.metrics);
const outbox = new OutboxRelay({ db: prisma, bus: runtime.bus, logger: runtime.logger, metrics: runtime.metrics }).start();
const deps = {
  prisma,
  bus: runtime.bus,
  outbox,
  redis: runtime.redis,
  listeners: runtime.listeners,
  storage: await createStorage(env),
  mes: createSubgraphClient({ url: env.MES_URL, internalSecret: env.INTERNAL_SECRET }),
  env,
};
startConsumers(runtime.bus, deps);
const { app, server } = await createShopServer(deps, runtime);
const { server: http, port } = await listen(app, env.SHOP_PORT, { host: listenHost(env), requestTimeoutMs: env.UPLOAD_REQUEST_TIMEOUT_MS });
runtime.logger.info({ port, dataDir: env.DATA_DIR }, 'shop subgraph listening');
announceListening(port);

onShutdown(runtime.logger, async () => {
  http.close();
  await server.stop();
  await outbox.stop();
  await runtime.close();
  await prisma.$disconnect();
});
