import cluster from 'node:cluster';
import { listenHost } from '@fabline/shared/env';
import { announceListening, listen, listenMetrics, onShutdown } from '@fabline/shared/http';
import { createLogger } from '@fabline/shared/logger';
import { createMetrics } from '@fabline/shared/metrics';
import { startTracing } from '@fabline/shared/tracing';
import { createGateway } from './compose.ts';
import { loadEnv } from './env.ts';
import { reportsToStudio } from './observability/studio.ts';
import { superviseWorkers } from './perf/cluster.ts';

const env = loadEnv(process.env);
// @apollo/gateway (2.14) sends anonymous usage telemetry to Apollo from its constructor unless this
// variable is set, and has no option for it: without Studio credentials nothing may leave the machine
if (!reportsToStudio(env)) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const tracing = startTracing('gateway', env);
const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL });
if (env.GATEWAY_WORKERS > 1 && cluster.isPrimary) await superviseWorkers(env.GATEWAY_WORKERS, logger);
const metrics = createMetrics('gateway');
const gateway = await createGateway({ env, logger, metrics, tracing });
const { server: http, port } = await listen(gateway.handler, env.GATEWAY_PORT, { host: listenHost(env), requestTimeoutMs: env.UPLOAD_REQUEST_TIMEOUT_MS });
gateway.attach(http);
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'gateway listening');
const { server: metricsHttp, port: metricsPort } = await listenMetrics(metrics, env.METRICS_PORT, env.METRICS_HOST);
gateway.own('metrics server', () => metricsHttp.close());
announceListening(port, { metrics: metricsPort });
onShutdown(logger, gateway.close);
