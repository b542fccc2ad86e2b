import { listenHost } from '@fabline/shared/env';
import { createFieldRateLimits } from '@fabline/shared/fieldRateLimit';
import { announceListening, listen, onShutdown } from '@fabline/shared/http';
import { OutboxRelay } from '@fabline/shared/outbox';
import { createRuntime } from '@fabline/shared/runtime';
import { startConsumers } from './consumers.ts';
import { createPrisma } from './db.ts';
import { loadEnv } from './env.ts';
import { activeDemoCredentials } from './seed.ts';
import { createCrmServer } from './server.ts';

const env = loadEnv(process.env);
const runtime = createRuntime({ name: 'crm', env });
const prisma = createPrisma(env.CRM_DATABASE_URL, runtime.metrics);

if (env.NODE_ENV === 'production') {
  const demo = await activeDemoCredentials(prisma);
  if (demo.length) {
    runtime.logger.fatal({ demo }, 'demo credentials are still active; change or remove them before running in production');
    process.exit(1);
  }
}

const outbox = new OutboxRelay({ db: prisma, bus: runtime.bus, logger: runtime.logger, metrics: runtime.metrics }).start();
const deps = { prisma, bus: runtime.bus, outbox, listeners: runtime.listeners, env, fieldLimits: createFieldRateLimits(runtime.redis, runtime.logger) };
startConsumers(runtime.bus, prisma, { autoApprove: env.CRM_AUTO_APPROVE, outbox });
const { app, server } = await createCrmServer(deps, runtime);
const { server: http, port } = await listen(app, env.CRM_PORT, { host: listenHost(env) });
runtime.logger.info({ port }, 'crm subgraph listening');
announceListening(port);

onShutdown(runtime.logger, async () => {
  http.close();
  await server.stop();
  await outbox.stop();
  await runtime.close();
  await prisma.$disconnect();
});
