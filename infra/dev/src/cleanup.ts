import { databaseUrlFor, dropDatabase } from '@fabline/shared/database';
import { CONSUMER_QUEUES, queueDeclarations } from '@fabline/shared/topology';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';
import { listQueues } from './rabbitmqctl.ts';

/**
 * What a test stack leaves in the shared services besides its databases: the queues and the
 * exchange of its namespace, and its Redis keys. A stack removes them when it stops; `npm test`
 * sweeps those of earlier runs that died before they could (a killed test worker, a killed CI job),
 * so a machine's services stay as a fresh one's however many runs it has seen.
 */
export interface ServiceUrls {
  postgresUrl?: string;
  redisUrl?: string;
  rabbitUrl?: string;
}

const withDefaults = (urls: ServiceUrls) => ({
  postgresUrl: urls.postgresUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  redisUrl: urls.redisUrl ?? 'redis://127.0.0.1:6379',
  rabbitUrl: urls.rabbitUrl ?? 'amqp://guest:guest@127.0.0.1:5672',
});

/** Names of the stacks `startStack` generates (and of nothing else): `fabline_test_` and 8 hex digits. */
const STACK_NAMESPACE = /^fabline_test_[0-9a-f]{8}$/;

/** Deletes every queue and the exchange of `namespace` (nothing else), and its Redis keys. */
export async function removeNamespace(namespace: string, urls: ServiceUrls = {}): Promise<void> {
  const { redisUrl, rabbitUrl } = withDefaults(urls);
  const rabbit = new Connection({ url: rabbitUrl, connectionTimeout: 10_000, acquireTimeout: 10_000, retryLow: 100, retryHigh: 1000 });
  rabbit.on('error', () => {});
  try {
    const channel = await rabbit.acquire();
    try {
      for (const spec of CONSUMER_QUEUES) {
        // deleting a queue that was never declared is a no-op for the broker
        for (const { name } of queueDeclarations(namespace, spec)) await channel.queueDelete({ queue: name });
      }
      await channel.exchangeDelete({ exchange: `${namespace}.events` });
    } finally {
      await channel.close();
    }
  } finally {
    await rabbit.close();
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 10_000, maxRetriesPerRequest: 2, retryStrategy: () => null });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Consumers per stack namespace, summed over its queues; undefined where rabbitmqctl cannot be used. */
function consumersByNamespace(): Map<string, number> | undefined {
  let rows: string[][];
  try {
    rows = listQueues(['name', 'consumers']);
  } catch {
    return undefined; // not on this machine, or not allowed: the broker is left as it is
  }
  const consumers = new Map<string, number>();
  for (const [name = '', count] of rows) {
    const namespace = name.split('.')[0] ?? '';
    if (STACK_NAMESPACE.test(namespace)) consumers.set(namespace, (consumers.get(namespace) ?? 0) + Number(count || 0));
  }
  return consumers;
}

/**
 * Removes what test stacks of earlier runs left behind. A namespace is stale when its databases
 * are older than `olderThanMs` with no connection, or when it has no database at all and no
 * consumer on any of its queues (its stack stopped; a stack creates its databases before any queue).
 */
export async function sweepStaleTestNamespaces(options: ServiceUrls & { olderThanMs?: number; only?: readonly string[] } = {}) {
  const urls = withDefaults(options);
  const olderThanMs = options.olderThanMs ?? 60 * 60 * 1000;
  const client = new pg.Client({ connectionString: urls.postgresUrl });
  await client.connect();
  const databases = new Map<string, { names: string[]; live: boolean }>();
  try {
    // a database's PG_VERSION file is written when it is created: its age is the database's
    const { rows } = await client.query<{ datname: string; created: Date; connections: number }>(
      `select d.datname, (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification as created,
              (select count(*)::int from pg_stat_activity a where a.datname = d.datname) as connections
         from pg_database d where d.datname ~ '^fabline_test_[0-9a-f]{8}_(shop|crm|mes)$'`,
    );
    for (const row of rows) {
      const namespace = row.datname.replace(/_(shop|crm|mes)$/, '');
      const entry = databases.get(namespace) ?? { names: [], live: false };
      entry.names.push(row.datname);
      entry.live ||= row.connections > 0 || Date.now() - row.created.getTime() < olderThanMs;
      databases.set(namespace, entry);
    }
  } finally {
    await client.end();
  }
  const stale = new Set([...databases].filter(([, entry]) => !entry.live).map(([namespace]) => namespace));
  for (const [namespace, consumers] of consumersByNamespace() ?? []) {
    if (!databases.has(namespace) && consumers === 0) stale.add(namespace);
  }
  for (const namespace of stale) {
    if (options.only && !options.only.includes(namespace)) continue;
    for (const name of databases.get(namespace)?.names ?? []) await dropDatabase(databaseUrlFor(urls.postgresUrl, name));
    await removeNamespace(namespace, urls);
  }
  return [...stale].filter((namespace) => !options.only || options.only.includes(namespace));
}
