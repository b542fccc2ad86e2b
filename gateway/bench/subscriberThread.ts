// One thread of `npm run bench:subscriptions`'s clients: opens its share of graphql-ws subscribers
// as raw WebSocket connections (HTTP upgrade, then frames parsed by hand) and, for every event, reads
// only the bytes of the publisher's timestamp. A general client (ws's Receiver, one string and one
// regex per message) made the bench's own backlog part of the measured latency at 10,000 sockets.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

export interface SubscriberThreadData {
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  count: number;
  /** Int32Array over a SharedArrayBuffer: slot `slot` counts the events this thread received. */
  received: SharedArrayBuffer;
  slot: number;
}

/** Main thread → this thread. */
export type SubscriberCommand = 'reset' | 'collect' | 'close';
/** This thread → main thread. */
export type SubscriberReport = { type: 'open' } | { type: 'latencies'; latencies: Float64Array } | { type: 'closed' } | { type: 'error'; message: string };

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const AT = Buffer.from('"at":"');
const ACK = Buffer.from('"connection_ack"');

/** A masked client frame (RFC 6455 §5.3), FIN set. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const header = payload.length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(header + 4 + payload.length);
  frame[0] = 0x80 | opcode;
  if (header === 2) frame[1] = 0x80 | payload.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, header);
  for (let i = 0; i < payload.length; i++) frame[header + 4 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
}

const text = (value: unknown) => clientFrame(0x1, Buffer.from(JSON.stringify(value)));

const data = workerData as SubscriberThreadData;
const received = new Int32Array(data.received);
const latencies: number[] = [];
const sockets: Socket[] = [];
const target = new URL(data.url);

/** Opens one subscriber; resolves once its subscribe message is sent. */
function openOne(): Promise<void> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Protocol': 'graphql-transport-ws',
      },
    });
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('bad Sec-WebSocket-Accept'));
      socket.setNoDelay(true);
      sockets.push(socket);
      let acked = false;
      let rest: Buffer | null = null;
      const onFrame = (opcode: number, buf: Buffer, start: number, end: number) => {
        if (opcode === 0x9) {
          socket.write(clientFrame(0xa, buf.subarray(start, end)));
          return;
        }
        if (opcode !== 0x1) return;
        if (!acked) {
          const ack = buf.indexOf(ACK, start);
          if (ack < 0 || ack >= end) return;
          acked = true;
          socket.write(text({ id: '1', type: 'subscribe', payload: { query: data.query, variables: data.variables } }));
          resolve();
          return;
        }
        // the publisher's timestamp, read from the bytes: no string of the whole message, no JSON parse
        const at = buf.indexOf(AT, start);
        if (at < 0 || at >= end) return;
        const from = at + AT.length;
        const to = buf.indexOf(0x22, from);
        latencies.push(Date.now() - Date.parse(buf.toString('latin1', from, to)));
        Atomics.add(received, data.slot, 1);
      };
      const onData = (chunk: Buffer) => {
        const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
        let offset = 0;
        while (buf.length - offset >= 2) {
          let length = (buf[offset + 1] as number) & 0x7f;
          let header = 2;
          if (length === 126) {
            if (buf.length - offset < 4) break;
            length = buf.readUInt16BE(offset + 2);
            header = 4;
          } else if (length === 127) {
            if (buf.length - offset < 10) break;
            length = Number(buf.readBigUInt64BE(offset + 2));
            header = 10;
          }
          if (buf.length - offset < header + length) break;
          onFrame((buf[offset] as number) & 0x0f, buf, offset + header, offset + header + length);
          offset += header + length;
        }
        rest = offset < buf.length ? buf.subarray(offset) : null;
      };
      socket.on('data', onData);
      socket.on('error', () => {});
      if (head.length > 0) onData(head);
      socket.write(text({ type: 'connection_init', payload: { authorization: `Bearer ${data.token}` } }));
    });
    req.end();
  });
}

try {
  for (let i = 0; i < data.count; i += 250) await Promise.all(Array.from({ length: Math.min(250, data.count - i) }, openOne));
  parentPort?.postMessage({ type: 'open' } satisfies SubscriberReport);
} catch (error) {
  parentPort?.postMessage({ type: 'error', message: String(error) } satisfies SubscriberReport);
}

parentPort?.on('message', (command: SubscriberCommand) => {
  if (command === 'reset') {
    latencies.length = 0;
    Atomics.store(received, data.slot, 0);
  } else if (command === 'collect') {
    const out = Float64Array.from(latencies);
    parentPort?.postMessage({ type: 'latencies', latencies: out } satisfies SubscriberReport, [out.buffer]);
  } else if (command === 'close') {
    for (const socket of sockets) socket.destroy();
    parentPort?.postMessage({ type: 'closed' } satisfies SubscriberReport);
  }
});
