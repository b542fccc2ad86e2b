import { randomUUID } from 'node:crypto';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { userError } from '@fabline/shared/errors';
import type { Logger } from '@fabline/shared/logger';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { clientAddress, type TrustProxy } from '../clientAddress.ts';
import type { ResolveViewer } from '../viewer.ts';
import { type ConnectionDeps, credentialsExpireAt, credentialsRequest, SubscriptionConnection } from './connection.ts';
import { CLOSE, type ConnectionCounter, clientKey } from './limits.ts';
import type { EventStream, SharedPayload } from './stream.ts';
import { textFrame } from './wsFrame.ts';

export interface WsServerOptions extends ConnectionDeps {
  resolveViewer: ResolveViewer;
  connections: ConnectionCounter;
  logger: Logger;
  /** @default '/graphql' */
  path?: string;
  /** Who may name the client's address in X-Forwarded-For (per-IP limits). */
  trustProxy: TrustProxy;
}

type Extra = Record<PropertyKey, unknown> & {
  socket: WebSocket;
  request: IncomingMessage;
  connection?: SubscriptionConnection;
  release?: () => void;
};

/**
 * graphql-ws (the `graphql-transport-ws` protocol) on the HTTP server's upgrade of `/graphql`.
 * The client authenticates in `connection_init` with `{ authorization: "Bearer <token>" }` or
 * `{ apiKey }`, verified as HTTP requests are.
 */
export function attachWsServer(httpServer: HttpServer, options: WsServerOptions) {
  const { limits, metrics, logger, connections } = options;
  const path = options.path ?? '/graphql';
  // no permessage-deflate: events are written as pre-built frames (see `writeFrame`)
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const transports = new WeakMap<WebSocket, Duplex>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== path) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      transports.set(ws, socket);
      wss.emit('connection', ws, req);
    });
  };
  /**
   * How a subscription writes its events: each event's frame straight to the connection's TCP
   * socket. That is what ws's own sender does when no extension is negotiated: it writes every
   * frame synchronously and whole, so frames cannot interleave. With an extension (never
   * negotiated here) it goes through ws. Looked up once per subscription, not per event.
   */
  const frameWriter = (socket: WebSocket, id: string) => {
    const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    const frame = (json: string) => textFrame(`${head}${json}}`);
    const transport = socket.extensions === '' ? transports.get(socket) : undefined;
    // false once the socket's buffer is full: the stream holds (and counts) events until it drains
    return (payload: SharedPayload) => {
      if (socket.readyState !== socket.OPEN) return true;
      if (!transport) {
        socket.send(`${head}${payload.json}}`);
        return true;
      }
      return !transport.writable || transport.write(payload.encode(head, frame));
    };
  };
  httpServer.on('upgrade', onUpgrade);

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: 5000,
      onConnect: async (ctx) => {
        const { socket } = ctx.extra;
        const requestId = randomUUID();
        let viewer: Awaited<ReturnType<ResolveViewer>>;
        const credentials = credentialsRequest(ctx.connectionParams, requestId);
        try {
          viewer = await options.resolveViewer(credentials);
        } catch (error) {
          const { code, reason } = CLOSE.unauthenticated((error as Error).message);
          socket.close(code, reason);
          return false;
        }
        if (!viewer) {
          socket.close(4401, 'Subscriptions need a login: send { "authorization": "Bearer <token>" } in connection_init');
          return false;
        }
        const release = connections.acquire(clientKey(viewer));
        if (!release) {
          metrics.drops.labels('connection_limit').inc();
          const { code, reason } = CLOSE.tooManyConnections(limits.maxConnectionsPerClient);
          socket.close(code, reason);
          return false;
        }
        ctx.extra.release = release;
        const caller = { ip: clientAddress(ctx.extra.request, options.trustProxy), apiKey: credentials.headers['x-api-key'] as string | undefined };
        // the upgrade request (headers and all) is not needed after authentication
        delete (ctx.extra as { request?: unknown }).request;
        ctx.extra.connection = new SubscriptionConnection(
          viewer,
          requestId,
          options,
          () => socket.bufferedAmount,
          () => {
            socket.close(CLOSE.slowConsumer.code, CLOSE.slowConsumer.reason);
            // a client that does not read will not read the close frame either
            setTimeout(() => socket.terminate(), 5000).unref();
          },
          {
            at: credentialsExpireAt(credentials),
            expire: () => {
              socket.close(CLOSE.tokenExpired.code, CLOSE.tokenExpired.reason);
              setTimeout(() => socket.terminate(), 5000).unref();
            },
          },
          caller,
        );
        // one listener per connection: the socket drained, so its streams write what they held
        const connection = ctx.extra.connection;
        transports.get(socket)?.on('drain', () => {
          for (const stream of connection.streams) stream.drained();
        });
        metrics.connections.labels('ws').inc();
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = ctx.extra.connection;
        if (!connection) return [userError('UNAUTHENTICATED', 'Send connection_init first')];
        const started = await connection.subscribe(payload);
        if (Array.isArray(started)) return started as GraphQLError[];
        const { stream, plan } = started as Exclude<typeof started, readonly GraphQLError[]>;
        stream.writeDirectly(frameWriter(ctx.extra.socket, id));
        // graphql-ws reads the operation from the args, then hands them to `subscribe`, which returns the stream
        return {
          schema: options.schema(),
          document: plan.document,
          operationName: plan.operationName,
          variableValues: plan.variables,
          contextValue: stream,
        } satisfies ExecutionArgs;
      },
      subscribe: (args) => args.contextValue as EventStream,
      onClose: (ctx) => {
        if (ctx.extra.connection) {
          ctx.extra.connection.close();
          metrics.connections.labels('ws').dec();
        }
        ctx.extra.release?.();
      },
    },
    wss,
    12_000,
  );

  return {
    wss,
    async close() {
      httpServer.off('upgrade', onUpgrade);
      try {
        await server.dispose();
      } catch (err) {
        logger.warn({ err }, 'closing subscriptions');
      }
    },
  };
}
