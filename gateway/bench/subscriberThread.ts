// One thread of `npm run bench:subscriptions`'s clients: opens its share of graphql-ws subscribers
// as raw WebSocket connections (HTTP upgrade and frames by hand) and, for every event, reads only the
// bytes of the publisher's timestamp. The clients share the gateway's two cores, so what they spend is
// part of the measured latency: a general client (ws's Receiver, one string and one regex per message)
// made the bench's own backlog show at 10,000 sockets, and each socket reads with `onread` into one
// reused buffer rather than a stream emitting a new Buffer per read.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
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

/** One buffer all of this thread's sockets read into (`onread`): each read is handled before the next. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const HEADERS_END = Buffer.from('\r\n\r\n');

/** Opens one subscriber; resolves once its subscribe message is sent. */
function openOne(): Promise<void> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    let upgraded = false;
    let acked = false;
    /** Bytes of an unfinished frame (or of the upgrade response), copied out of the shared buffer. */
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
    const onBytes = (chunk: Buffer) => {
      let buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      rest = null;
      if (!upgraded) {
        const end = buf.indexOf(HEADERS_END);
        if (end < 0) {
          rest = Buffer.from(buf);
          return;
        }
        const head = buf.toString('latin1', 0, end);
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        const accepted = head.split('\r\n').some((line) => /^sec-websocket-accept:/i.test(line) && line.slice(line.indexOf(':') + 1).trim() === accept);
        if (!accepted) return reject(new Error('bad Sec-WebSocket-Accept'));
        upgraded = true;
        buf = buf.subarray(end + HEADERS_END.length);
        socket.write(text({ type: 'connection_init', payload: { authorization: `Bearer ${data.token}` } }));
      }
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
      if (offset < buf.length) rest = Buffer.from(buf.subarray(offset));
    };
    // `onread` hands each read to the callback in a reused buffer: no Buffer, no 'data' event per read
    const socket = connect({
      host: target.hostname,
      port: Number(target.port),
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (nread: number, buf: Uint8Array) => {
          onBytes((buf as Buffer).subarray(0, nread));
          return true;
        },
      },
    });
    sockets.push(socket);
    socket.on('error', (error) => (upgraded ? undefined : reject(error)));
    socket.write(
      `GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
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
