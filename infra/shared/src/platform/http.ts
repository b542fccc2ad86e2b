import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express as ExpressApp } from 'express';
import { traceRequests } from '../tracing/instrumentation.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** A named dependency check for /readyz; it throws when the dependency is not usable. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** Checked on every /readyz call, each bounded by one second. */
  readiness: Record<string, ReadinessCheck>;
  /**
   * Serve /metrics on this app. A process whose port is public (the gateway) serves them on an
   * internal port instead (`listenMetrics`), and answers 404 here. @default true
   */
  metricsRoute?: boolean;
}

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

const KNOWN_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

/** Express app with request ids, request logging, /healthz, /readyz and /metrics: the frame of every process. */
export function createServiceApp({ logger, metrics, readiness, metricsRoute = true }: ServiceAppOptions): ExpressApp {
  const app = express();
  app.disable('x-powered-by');
  // express hashes every res.send body for an ETag (sha1 of each 80 kB federated answer, 3% of the
  // gateway's CPU in bench:federation); GraphQL POSTs are never revalidated, caching uses Cache-Control
  app.set('etag', false);
  app.use(traceRequests());
  app.use((req, res, next) => {
    const header = req.headers['x-request-id'];
    req.id = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('x-request-id', req.id);
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = KNOWN_ROUTES.has(req.path) ? req.path : req.path.startsWith('/internal/') ? '/internal' : 'other';
      const seconds = end({ route, status: String(res.statusCode) });
      if (route !== '/healthz' && route !== '/metrics' && route !== '/readyz') {
        req.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 1000, `${name} did not answer within 1s`);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    const ok = results.every(([, status]) => status === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, res) => {
    if (!metricsRoute) {
      res.status(404).json({ errors: [{ message: 'Metrics are not served on this port', extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return app;
}

/**
 * Serves only GET /metrics, on an internal port apart from the public one (`METRICS_PORT`,
 * bound to `METRICS_HOST`, 127.0.0.1 unless a scraper elsewhere must reach it).
 */
export function listenMetrics(metrics: Metrics, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  return listen(
    async (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?', 1)[0] !== '/metrics') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }));
        return;
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    },
    port,
    { host },
  );
}

/**
 * Rejects with `message` when `promise` takes longer than `ms`. The verdict waits for `setImmediate`,
 * which runs after pending socket reads: on a busy event loop a reply that already arrived still
 * wins, so the timeout measures the dependency, not our own lag.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(new Error(message))), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export interface ListenOptions {
  /** @default 127.0.0.1 (a process's `listenHost(env)` gives what it should use) */
  host?: string;
  /** Time allowed to receive a whole request (raise it where large uploads arrive). @default Node's 300 000 */
  requestTimeoutMs?: number;
}

/** Listens on `port` (0 picks a free one) and resolves with the bound port. */
export function listen(app: ExpressApp | RequestListener, port: number, options: ListenOptions = {}): Promise<{ server: Server; port: number }> {
  const { host = '127.0.0.1', requestTimeoutMs } = options;
  return new Promise((resolve, reject) => {
    const server = createServer(requestTimeoutMs ? { requestTimeout: requestTimeoutMs } : {}, app);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * Tells the process that started this one (startStack, over its IPC channel) the port it bound, so
 * it never has to guess a free port in advance; a no-op without such a parent (containers).
 */
export function announceListening(port: number, others: Record<string, number> = {}) {
  process.send?.({ ...others, listening: port });
}

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits. A process started with an IPC channel
 * (startStack, `npm start`'s supervisor) also stops when that channel closes: its parent is gone,
 * and an orphan would keep its port and its database, Redis and broker connections for ever.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  if (process.connected) process.once('disconnect', () => handler('parent gone'));
}

/**
 * Last express error handler: errors raised before GraphQL runs (a malformed multipart body,
 * a file over the size limit, bad JSON) reach the client as GraphQL errors with a code.
 */
export function graphqlErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status >= 400 && status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
    if (code === 'INTERNAL_SERVER_ERROR') (req.log ?? logger).error({ err: error }, 'request failed');
    const message = code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : String(error?.message ?? 'Bad request');
    if (res.headersSent) return;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
