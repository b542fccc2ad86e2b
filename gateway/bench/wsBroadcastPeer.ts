// The peer of `npm run bench:subscriptions`: a bare `ws` server in its own process that speaks just
// enough graphql-transport-ws for the bench's clients (ack, subscribe) and broadcasts every message
// of one Redis channel the way ws's README broadcasts: the text built once, `send` per open client.
// No authentication, no authorization, no federation, no resume: what is left is the cost of writing
// one WebSocket frame per subscriber on this host, the floor under any Node WebSocket server's fan-out.
// Its payload carries only the event's own fields (no order from the subgraphs), so its frames are
// about half the gateway's; on loopback a write's cost hardly depends on a few hundred bytes.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { type WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PEER_PORT);
const channel = process.env.PEER_CHANNEL;
if (!port || !channel) throw new Error('PEER_PORT and PEER_CHANNEL are required');

/** Open subscriptions: the socket and the operation id it subscribed with. */
const subscribers = new Map<WebSocket, string>();
const http = createServer((req, res) => {
  res.writeHead(req.url === '/subscribers' ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(String(subscribers.size));
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    let message: { type?: string; id?: string };
    try {
      message = JSON.parse(String(data));
    } catch {
      socket.close(4400, 'Invalid message');
      return;
    }
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe' && typeof message.id === 'string') subscribers.set(socket, message.id);
  });
  socket.on('close', () => subscribers.delete(socket));
});

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await redis.subscribe(channel);
redis.on('message', (_channel: string, text: string) => {
  const event = JSON.parse(text) as Record<string, unknown>;
  const payload = JSON.stringify({ data: { orderStatusChanged: { id: event.eventId, status: event.status, at: event.at } } });
  const texts = new Map<string, string>();
  for (const [socket, id] of subscribers) {
    if (socket.readyState !== socket.OPEN) continue;
    let frame = texts.get(id);
    if (frame === undefined) {
      frame = `{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`;
      texts.set(id, frame);
    }
    socket.send(frame);
  }
});

http.listen(port, '127.0.0.1', () => process.stdout.write(`ws broadcast peer at ${port}\n`));
process.on('SIGTERM', () => {
  redis.disconnect();
  for (const socket of subscribers.keys()) socket.terminate();
  http.close(() => process.exit(0));
});
