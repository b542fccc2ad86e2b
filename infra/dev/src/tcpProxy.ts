import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port clients connect to instead of the target's. */
  port: number;
  /** Drops every open connection and refuses new ones, as if the service behind went down. */
  cut(): void;
  /** Accepts connections again, as if the service came back. */
  restore(): void;
  /** Forwards new connections to another port (a proxy made with port 0 refuses them until then). */
  retarget(port: number): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free local port in front of `targetPort`: fault tests point a process at it
 * and cut it to take Redis or RabbitMQ away from that process alone (the services themselves are
 * shared by every test run on the machine and must never be stopped).
 */
export function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  let target = targetPort;
  const server = createServer((client) => {
    if (down || !target) {
      client.destroy();
      return;
    }
    const upstream = connect(target, targetHost);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        cut() {
          down = true;
          for (const socket of sockets) socket.destroy();
          sockets.clear();
        },
        restore() {
          down = false;
        },
        retarget(port) {
          target = port;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}
