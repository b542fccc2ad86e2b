import { existsSync, readFileSync } from 'node:fs';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Redis } from '@fabline/shared/redis';
import type { RedisGuard } from './redisGuard.ts';

/** Apollo's `apollo-persisted-query-manifest` format (what `generate-persisted-query-manifest` writes). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** Operation bodies by id; an absent manifest file is an empty list. */
export function loadManifest(path: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as PersistedQueryManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw new Error(`${path} is not an apollo-persisted-query-manifest version 1`);
  }
  return new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
}

/**
 * The APQ store for Apollo Server: query texts by sha256 in Redis, shared by every replica.
 * A Redis fault is a miss (the client then sends the full query), never an error.
 */
export function createApqCache(redis: Redis, guard: RedisGuard): KeyValueCache<string> {
  return {
    async get(hash) {
      return (await guard('apq', () => redis.get(`apq:${hash}`))) ?? undefined;
    },
    async set(hash, query, options) {
      const ttl = options?.ttl;
      await guard('apq', () => (ttl ? redis.set(`apq:${hash}`, query, 'EX', ttl) : redis.set(`apq:${hash}`, query)));
    },
    async delete(hash) {
      await guard('apq', () => redis.del(`apq:${hash}`));
      return true;
    },
  };
}
