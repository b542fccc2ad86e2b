// Checks that PostgreSQL, Redis and RabbitMQ answer, and says in one line per missing service
// where it was looked for and how to start it. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { connect } from 'node:net';

const START = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  RabbitMQ: 'rabbitmq-server -detached',
};

/**
 * What each service must answer to its protocol's first bytes: a port that accepts connections but
 * never answers (a stuck or overloaded server) would otherwise pass here and make every test stack
 * wait out its start timeout instead.
 */
const GREETING = {
  // SSLRequest: the server answers one byte, S or N
  PostgreSQL: { hello: Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]), answered: (data) => data.length >= 1 },
  Redis: { hello: Buffer.from('PING\r\n'), answered: (data) => data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH') },
  // the AMQP 0-9-1 protocol header: the broker answers a method frame (Connection.Start)
  RabbitMQ: { hello: Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), answered: (data) => data[0] === 1 },
};

/** 'ok', 'closed' (nothing listens) or 'silent' (it accepts but does not answer its protocol in time). */
function probe(name, host, port, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let connected = false;
    let data = Buffer.alloc(0);
    const done = (state) => {
      socket.destroy();
      resolve(state);
    };
    socket.setTimeout(timeoutMs, () => done(connected ? 'silent' : 'closed'));
    socket.once('connect', () => {
      connected = true;
      socket.write(GREETING[name].hello);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (GREETING[name].answered(data)) done('ok');
    });
    socket.once('error', () => done(connected ? 'silent' : 'closed'));
    socket.once('end', () => done(connected ? 'silent' : 'closed'));
  });
}

/** Returns the lines describing unreachable services (empty when all answer). */
export async function missingServices(env = process.env) {
  const services = [
    ['PostgreSQL', env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432', 5432],
    ['Redis', env.REDIS_URL ?? 'redis://127.0.0.1:6379', 6379],
    ['RabbitMQ', env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672', 5672],
  ];
  const lines = [];
  for (const [name, url, defaultPort] of services) {
    const { hostname, port } = new URL(url);
    const address = `${hostname || '127.0.0.1'}:${Number(port) || defaultPort}`;
    const state = await probe(name, hostname || '127.0.0.1', Number(port) || defaultPort);
    if (state === 'closed') lines.push(`${name} is not reachable at ${address}; start it with: ${START[name]}`);
    if (state === 'silent') lines.push(`${name} accepts connections at ${address} but does not answer within 5 s: it is stuck or overloaded; restart it`);
  }
  return lines;
}

/**
 * What would make the tests fail in confusing ways rather than not start: too little disk (databases,
 * uploads and the broker's own disk alarm, which blocks every publisher), or a broker in alarm.
 */
export function machineProblems(root, { minFreeBytes = 2 * 1024 ** 3 } = {}) {
  const lines = [];
  const { bavail, bsize } = statfsSync(root);
  const free = bavail * bsize;
  if (free < minFreeBytes)
    lines.push(
      `only ${Math.round(free / 1024 ** 2)} MB free on the disk holding ${root}; the tests need about ${Math.round(minFreeBytes / 1024 ** 3)} GB (databases, uploads, the broker)`,
    );
  // best effort: rabbitmqctl is where the broker runs locally (as on CI); elsewhere this says nothing
  const alarms = spawnSync('rabbitmq-diagnostics', ['-q', 'check_alarms'], { encoding: 'utf8', timeout: 30_000 });
  const said = `${alarms.stdout ?? ''} ${alarms.stderr ?? ''}`.trim().replace(/\s+/g, ' ');
  if (alarms.status && /alarm/i.test(said) && !/no alarms/i.test(said))
    lines.push(`RabbitMQ has a resource alarm (${said.slice(0, 300)}): it blocks every publisher until memory or disk is freed`);
  return lines;
}
