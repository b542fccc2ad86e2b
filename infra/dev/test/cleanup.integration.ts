import { randomBytes } from 'node:crypto';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@fabline/shared/database';
import { QUEUES, queueDeclarations } from '@fabline/shared/topology';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeNamespace, sweepStaleTestNamespaces } from '../src/cleanup.ts';

// What test stacks leave in the shared services is removed, and only that: a run that died leaves
// databases, queues and keys; a stack that is still running (connected) keeps all of its own.
const server = 'postgresql://postgres@127.0.0.1:5432/postgres';
const ns = () => `fabline_test_${randomBytes(4).toString('hex')}`;
const dead = ns(); // databases, queues and keys, nothing connected: a run that was killed
const orphanQueues = ns(); // queues and keys without databases: a stack whose databases went
const live = ns(); // databases with a connection: a stack of a run going on beside this one
const redis = new Redis('redis://127.0.0.1:6379');
const rabbit = new Connection('amqp://guest:guest@127.0.0.1:5672');
const holder = new pg.Client({ connectionString: databaseUrlFor(server, `${live}_shop`) });

const queueNames = (namespace: string) => queueDeclarations(namespace, QUEUES.crmOrderPlaced).map((queue) => queue.name);
const existingQueues = async (namespace: string) => {
  const found: string[] = [];
  for (const queue of queueNames(namespace)) {
    const ok = await rabbit.queueDeclare({ queue, passive: true }).then(
      () => true,
      () => false,
    );
    if (ok) found.push(queue);
  }
  return found;
};
const databases = async (namespace: string) => {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1 order by 1', [`${namespace}_%`]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  for (const namespace of [dead, live]) for (const db of ['shop', 'crm', 'mes']) await ensureDatabase(databaseUrlFor(server, `${namespace}_${db}`));
  await holder.connect();
  for (const namespace of [dead, orphanQueues, live]) {
    for (const queue of queueNames(namespace)) await rabbit.queueDeclare({ queue, durable: true });
    await redis.set(`${namespace}:rc:some-answer`, 'x');
    await redis.set(`${namespace}:apq:some-hash`, 'y');
  }
}, 120_000);

afterAll(async () => {
  await holder.end();
  for (const db of ['shop', 'crm', 'mes']) await dropDatabase(databaseUrlFor(server, `${live}_${db}`));
  await removeNamespace(live);
  await rabbit.close();
  redis.disconnect();
});

describe('sweeping what test stacks left behind', () => {
  it('removes the databases, queues and keys of dead stacks, and keeps a connected stack whole', async () => {
    const swept = await sweepStaleTestNamespaces({ olderThanMs: 0, only: [dead, orphanQueues, live] });
    expect(swept.sort()).toEqual([dead, orphanQueues].sort());
    for (const namespace of [dead, orphanQueues]) {
      expect(await databases(namespace)).toEqual([]);
      expect(await existingQueues(namespace)).toEqual([]);
      expect(await redis.keys(`${namespace}:*`)).toEqual([]);
    }
    expect(await databases(live)).toEqual([`${live}_crm`, `${live}_mes`, `${live}_shop`]);
    expect(await existingQueues(live)).toEqual(queueNames(live));
    expect((await redis.keys(`${live}:*`)).sort()).toEqual([`${live}:apq:some-hash`, `${live}:rc:some-answer`]);
  });

  it('keeps a young stack that has not connected yet (its processes are starting)', async () => {
    const starting = ns();
    await ensureDatabase(databaseUrlFor(server, `${starting}_shop`));
    try {
      expect(await sweepStaleTestNamespaces({ only: [starting] })).toEqual([]);
      expect(await databases(starting)).toEqual([`${starting}_shop`]);
    } finally {
      await dropDatabase(databaseUrlFor(server, `${starting}_shop`));
    }
  });
});
