import cluster from 'node:cluster';
import { listenHost } from '@fabline/shared/env';
import { announceListening, listen, listenMetrics, onShutdown } from '@fabline/shared/http';
import { createLogger } from '@fabline/shared/logger';
import { createMetrics } from '@fabline/shared/metrics';
import { startTracing } from '@fabline/shared/tracing';
import { loadEnv } from './env.ts';
import { superviseWorkers } from './perf/cluster.ts';
import { createGatewayServer } from './server.ts';

const env = loadEnv(process.env);
const tracing = startTracing('gateway', env);
const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL });
if (env.GATEWAY_WORKERS > 1 && cluster.isPrimary) await superviseWorkers(env.GATEWAY_WORKERS, logger);
const metrics = createMetrics('gateway');
const { handler, server, subscriptions } = await createGatewayServer({ env, logger, metrics });
const { server: http, port } = await listen(handler, env.GATEWAY_PORT, { host: listenHost(env), requestTimeoutMs: env.UPLOAD_REQUEST_TIMEOUT_MS });
subscriptions.attach(http);
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'gateway listening');
const { server: metricsHttp, port: metricsPort } = await listenMetrics(metrics, env.METRICS_PORT, env.METRICS_HOST);
announceListening(port, { metrics: metricsPort });

onShutdown(logger, async () => {
  await subscriptions.close();
  http.close();
  metricsHttp.close();
  await server.stop();
  await tracing.shutdown();
});
