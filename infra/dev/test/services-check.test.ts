import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain-Node script without types, run before anything is installed
import { missingServices } from '../../../scripts/lib/services.mjs';

// `npm test` and `npm start` check the services first: one that is down, or one that accepts
// connections but never answers (which would make every test stack wait out its start timeout),
// is named at once with what to do.
const servers: Server[] = [];
const listen = (onConnection: (socket: import('node:net').Socket) => void) =>
  new Promise<number>((resolve) => {
    const server = createServer(onConnection);
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('the services check', () => {
  it('names a service that accepts connections but does not answer its protocol', async () => {
    const silent = await listen(() => {});
    const lines: string[] = await missingServices({ REDIS_URL: `redis://127.0.0.1:${silent}` });
    expect(lines).toEqual([`Redis accepts connections at 127.0.0.1:${silent} but does not answer within 5 s: it is stuck or overloaded; restart it`]);
  }, 20_000);

  it('names a service nothing listens for, with how to start it, and passes ones that answer', async () => {
    const pong = await listen((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
    const closed = await listen(() => {});
    servers.pop()?.close();
    const lines: string[] = await missingServices({ REDIS_URL: `redis://127.0.0.1:${pong}`, RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${closed}` });
    expect(lines).toEqual([`RabbitMQ is not reachable at 127.0.0.1:${closed}; start it with: rabbitmq-server -detached`]);
  }, 20_000);
});
