import type { Logger } from '@fabline/shared/logger';
import express, { type RequestHandler, type Response } from 'express';
import { GraphQLError, getOperationAST, parse } from 'graphql';
import type { ResolveViewer } from '../viewer.ts';
import { type ConnectionDeps, credentialsExpireAt, SubscriptionConnection } from './connection.ts';
import { CLOSE, type ConnectionCounter, clientKey } from './limits.ts';

export interface SseHandlerOptions extends ConnectionDeps {
  resolveViewer: ResolveViewer;
  connections: ConnectionCounter;
  logger: Logger;
  /** Comment lines that keep proxies from closing an idle stream. @default 12000 */
  keepAliveMs?: number;
}

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INTROSPECTION_DISABLED: 403,
  NOT_FOUND: 404,
  SUBSCRIPTION_LIMIT: 429,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

function isSubscription(query: unknown, operationName: unknown) {
  if (typeof query !== 'string') return false;
  try {
    return getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

const sendErrors = (res: Response, errors: readonly Pick<GraphQLError, 'message' | 'extensions'>[]) => {
  const code = String(errors[0]?.extensions?.code ?? '');
  res.status(STATUS[code] ?? 400).json({ errors });
};

/** Resolves when the response can take more, or is gone. */
const writable = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * GraphQL over Server-Sent Events, "distinct connections" mode: `POST /graphql` with
 * `Accept: text/event-stream` and a subscription answers `event: next` per event, then
 * `event: complete`. Anything else passes through to the HTTP handler.
 */
export function createSseHandler(options: SseHandlerOptions): RequestHandler {
  const json = express.json({ limit: '64kb' });
  return (req, res, next) => {
    if (!String(req.headers.accept ?? '').includes('text/event-stream')) return next();
    json(req, res, (error?: unknown) => {
      if (error) return next(error);
      const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
      if (!isSubscription(body.query, body.operationName)) return next();
      serve(options, req, res, body).catch(next);
    });
  };
}

async function serve(options: SseHandlerOptions, req: express.Request, res: Response, body: { query?: unknown; variables?: unknown; operationName?: unknown }) {
  const { limits, metrics, connections } = options;
  let viewer: Awaited<ReturnType<ResolveViewer>>;
  try {
    viewer = await options.resolveViewer(req);
  } catch (error) {
    return sendErrors(res, [error as GraphQLError]);
  }
  if (!viewer)
    return sendErrors(res, [{ message: 'Subscriptions need a login: send "Authorization: Bearer <token>"', extensions: { code: 'UNAUTHENTICATED' } }]);
  const release = connections.acquire(clientKey(viewer));
  if (!release) {
    metrics.drops.labels('connection_limit').inc();
    return sendErrors(res, [{ message: CLOSE.tooManyConnections(limits.maxConnectionsPerClient).reason, extensions: { code: 'RATE_LIMITED' } }]);
  }
  const connection = new SubscriptionConnection(
    viewer,
    req.id,
    options,
    () => res.writableLength,
    () => res.destroy(),
    {
      at: credentialsExpireAt(req),
      // the operation ends with an UNAUTHENTICATED error event, then `complete`
      expire: () => {
        if (connection.streams.size === 0) res.destroy();
        for (const stream of connection.streams) stream.end(new GraphQLError(CLOSE.tokenExpired.reason, { extensions: { code: 'UNAUTHENTICATED' } }));
      },
    },
    { ip: req.ip, apiKey: typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined },
  );
  res.on('close', () => {
    connection.close();
    release();
  });
  const started = await connection.subscribe(body);
  if (Array.isArray(started)) return sendErrors(res, started as readonly GraphQLError[]);
  const { stream } = started as Exclude<typeof started, readonly GraphQLError[]>;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  metrics.connections.labels('sse').inc();
  stream.writeDirectly((payload) => res.write(`event: next\ndata: ${payload.json}\n\n`));
  const keepAlive = setInterval(() => res.write(':\n\n'), options.keepAliveMs ?? 12_000);
  try {
    // events are written as they come (writeDirectly); this only waits for the end
    for await (const result of stream) {
      if (!res.write(`event: next\ndata: ${JSON.stringify(result)}\n\n`)) await writable(res);
    }
  } catch (error) {
    const errors = [error as GraphQLError];
    res.write(`event: next\ndata: ${JSON.stringify({ errors })}\n\n`);
  } finally {
    clearInterval(keepAlive);
    metrics.connections.labels('sse').dec();
    if (!res.destroyed) res.end('event: complete\ndata:\n\n');
  }
}
