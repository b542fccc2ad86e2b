// Checks that PostgreSQL, Redis and RabbitMQ answer, and says in one line per missing service
// where it was looked for and how to start it. Plain Node, no dependencies.
import { connect } from 'node:net';

const START = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  RabbitMQ: 'rabbitmq-server -detached',
};

function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
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
    if (!(await reachable(hostname || '127.0.0.1', Number(port) || defaultPort))) {
      lines.push(`${name} is not reachable at ${hostname}:${port || defaultPort}; start it with: ${START[name]}`);
    }
  }
  return lines;
}
