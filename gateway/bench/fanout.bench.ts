// `pnpm --filter @fabline/gateway run bench:fanout`: the gateway's CPU per socket to write one event
// to N WebSocket subscribers, three ways, in one run on the same sockets:
//   ws.send(text)          what the gateway did: per socket, the text concatenated, encoded and framed by ws
//   ws.send(bytes)         the encoded text shared, ws still frames it per socket
//   pre-built frame        the whole frame built once and written as is to each TCP socket (the gateway now)
// CPU time of the writing process (the readers run in a process of their own) is far
// less noisy than wall time on a shared machine; the time until the readers saw every frame is printed too.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { textFrame } from '../src/subscriptions/wsFrame.ts';

const SOCKETS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const server = createServer();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const sockets: { ws: WebSocket; raw: Socket }[] = [];
server.on('upgrade', (req, raw: Socket, head) => wss.handleUpgrade(req, raw, head, (ws) => sockets.push({ ws, raw })));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

// the readers: raw connections that count the bytes they receive, in their own process
const reader = spawn(
  process.execPath,
  [
    '-e',
    `const net = require('node:net'); let received = 0; let expected = Infinity;
    const request = 'GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\nSec-WebSocket-Version: 13\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\n\\r\\n';
    const count = (n) => { received += n; if (received >= expected) { expected = Infinity; process.send('done'); } };
    process.on('message', (target) => { expected = target; count(0); });
    (async () => {
      for (let i = 0; i < ${SOCKETS}; i += 250) {
        await Promise.all(Array.from({ length: Math.min(250, ${SOCKETS} - i) }, () => new Promise((resolve) => {
          const socket = net.connect(${port}, '127.0.0.1', () => socket.write(request));
          let upgraded = false;
          socket.on('data', (chunk) => {
            if (upgraded) return count(chunk.length);
            const end = chunk.indexOf('\\r\\n\\r\\n');
            if (end < 0) return;
            upgraded = true; resolve();
            count(chunk.length - end - 4);
          });
        })));
      }
      process.send('open');
    })();`,
  ],
  { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);
const from = (what: string) => new Promise<void>((resolve) => reader.once('message', (m) => m === what && resolve()));
await from('open');
while (sockets.length < SOCKETS) await new Promise((r) => setTimeout(r, 50));

const head = '{"id":"1","type":"next","payload":';
const event = (n: number) =>
  JSON.stringify({
    data: {
      orderStatusChanged: { id: String(1e12 + n), status: 'APPROVED', at: new Date().toISOString(), order: { id: 'c7d1', customer: { name: 'Bench' } } },
    },
  });
const ways: Record<string, (json: string) => number> = {
  'ws.send(text)': (json) => {
    for (const { ws } of sockets) ws.send(`${head}${json}}`);
    return textFrame(`${head}${json}}`).length;
  },
  'ws.send(bytes)': (json) => {
    const bytes = Buffer.from(`${head}${json}}`);
    for (const { ws } of sockets) ws.send(bytes, { binary: false });
    return textFrame(`${head}${json}}`).length;
  },
  'pre-built frame': (json) => {
    const frame = textFrame(`${head}${json}}`);
    for (const { ws, raw } of sockets) if (ws.readyState === ws.OPEN && raw.writable) raw.write(frame);
    return frame.length;
  },
};

const results = new Map<string, { cpu: number[]; system: number[]; wall: number[] }>(
  Object.keys(ways).map((name) => [name, { cpu: [], system: [], wall: [] }]),
);
let n = 0;
let sent = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, write] of Object.entries(ways)) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const frameBytes = write(event(n++));
    const used = process.cpuUsage(cpu);
    sent += frameBytes * SOCKETS;
    const done = from('done');
    reader.send(sent);
    await done;
    const wall = performance.now() - started;
    if (round > 0) {
      // the first round warms the JIT up
      results.get(name)?.cpu.push((used.user + used.system) / SOCKETS);
      results.get(name)?.system.push(used.system / SOCKETS);
      results.get(name)?.wall.push(wall);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const base = median(results.get('ws.send(text)')?.cpu ?? []);
console.log(`fan-out of one event to ${SOCKETS} WebSocket subscribers (median of ${ROUNDS - 1} rounds after a warm-up)`);
for (const [name, { cpu, system, wall }] of results) {
  const perSocket = median(cpu);
  console.log(
    `  ${name.padEnd(16)} ${perSocket.toFixed(2)} µs CPU per socket (${median(system).toFixed(2)} of it in the kernel; ${(base / perSocket).toFixed(2)}× ws.send(text)), last frame at the readers after ${median(wall).toFixed(1)} ms`,
  );
}
reader.kill();
for (const { raw } of sockets) raw.destroy();
server.close();
