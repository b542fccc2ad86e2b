import { type ApolloServerPlugin, type GraphQLRequestContextWillSendResponse, HeaderMap } from '@apollo/server';
import type { Logger } from '@fabline/shared/logger';
import type { GatewayContext } from '../dataSource.ts';
import type { CostCheck } from '../traffic/admission.ts';
import { encodeEntry } from './cachedEntry.ts';
import { cacheKeys, schemaVersion } from './cacheKey.ts';
import type { CacheMetrics } from './cacheMetrics.ts';
import type { CacheStore } from './cacheStore.ts';
import { collectEntityTags, type EntityKeys, entityKeysFromSupergraph, UNTRACEABLE, viewerTag } from './entityTags.ts';
import { KnownOperations } from './fastPath.ts';
import { tagsChangedByMutation } from './invalidation.ts';

export interface ResponseCacheOptions {
  store: CacheStore;
  metrics: CacheMetrics;
  logger: Logger;
  /** Upper bound on an entry's life, whatever the hints say. @default 3600 */
  maxTtlSeconds?: number;
  /** Larger responses are not cached. @default 1 MB */
  maxEntryBytes?: number;
  /** How long a mutation's response waits for its invalidation before going out anyway. @default 250 */
  mutationInvalidationWaitMs?: number;
  /** Where operations it has cached are remembered for the fast path. */
  known?: KnownOperations;
}

type Context = GatewayContext & { log?: Logger; cost?: CostCheck };

interface RequestState {
  label: string;
  epoch: number;
  keys: { base: string; public: string; private: string | null };
  hit: boolean;
}

/**
 * Whole-response cache in Redis. The policy is the one Apollo merges from the subgraphs'
 * `Cache-Control` headers (most restrictive wins); only error-free queries are stored, PUBLIC ones
 * shared and PRIVATE ones under the viewer. Each entry is tagged with the entities it holds so a
 * change to one of them (mutation, status event, admin) deletes it on every replica.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<Context> {
  const { store, metrics, logger } = options;
  const maxTtl = options.maxTtlSeconds ?? 3600;
  const maxBytes = options.maxEntryBytes ?? 1024 * 1024;
  const waitMs = options.mutationInvalidationWaitMs ?? 250;
  let schemaHash = '';
  let entityKeys: EntityKeys = new Map();

  async function storeResponse(rc: GraphQLRequestContextWillSendResponse<Context>, state: RequestState) {
    const body = rc.response.body;
    if (body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
    const policy = rc.overallCachePolicy.policyIfCacheable();
    const viewerId = rc.contextValue.viewer?.id;
    if (!policy || (policy.scope === 'PRIVATE' && !viewerId) || !rc.document) {
      metrics.stores.inc({ operation: state.label, result: 'uncacheable' });
      return;
    }
    const tags = collectEntityTags({
      schema: rc.schema,
      document: rc.document,
      operationName: rc.operationName,
      data: body.singleResult.data,
      keys: entityKeys,
    });
    const json = JSON.stringify({ data: body.singleResult.data });
    if (tags.has(UNTRACEABLE) || json.length > maxBytes) {
      metrics.stores.inc({ operation: state.label, result: 'uncacheable' });
      return;
    }
    const scope = policy.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
    const key = scope === 'PRIVATE' ? state.keys.private : state.keys.public;
    if (!key) return;
    if (scope === 'PRIVATE' && viewerId) tags.add(viewerTag(viewerId));
    const value = encodeEntry({ storedAt: Date.now(), maxAge: policy.maxAge, scope, epoch: state.epoch, json });
    const result = await store.store(key, value, Math.min(policy.maxAge, maxTtl), [...tags], state.epoch);
    metrics.stores.inc({ operation: state.label, result });
    if (result === 'stored') {
      metrics.bytes.inc({ operation: state.label, direction: 'write' }, value.length);
      learn(rc, state);
    }
  }

  /** The fast path may answer the next identical request from this caller's kind without Apollo. */
  function learn(rc: GraphQLRequestContextWillSendResponse<Context>, state: RequestState) {
    const { known } = options;
    const { query, operationName, variables } = rc.request;
    if (!known || typeof query !== 'string' || !rc.queryHash) return;
    const prefix = KnownOperations.prefix(operationName, variables, rc.contextValue.viewer);
    known.remember([prefix + query, prefix + rc.queryHash], {
      base: state.keys.base,
      operationName: rc.operationName ?? null,
      label: state.label,
      cost: rc.contextValue.cost,
    });
  }

  async function invalidateAfterMutation(rc: GraphQLRequestContextWillSendResponse<Context>) {
    const body = rc.response.body;
    const data = body.kind === 'single' ? body.singleResult.data : undefined;
    const tags = rc.document
      ? collectEntityTags({ schema: rc.schema, document: rc.document, operationName: rc.operationName, data, keys: entityKeys })
      : new Set<string>();
    const viewerId = rc.contextValue.viewer?.id;
    const purge = tagsChangedByMutation(tags, viewerId);
    if (purge.length === 0) return;
    const done = store
      .invalidate(purge)
      .then(({ entries }) => {
        metrics.invalidations.inc({ source: 'mutation' });
        metrics.invalidatedEntries.inc({ source: 'mutation' }, entries);
      })
      .catch((error: unknown) => (rc.contextValue.log ?? logger).warn({ err: error, tags: purge }, 'cache invalidation after a mutation failed'));
    // read-your-writes for the caller, but a slow Redis must not hold the mutation's answer
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ coreSupergraphSdl }) {
          if (!coreSupergraphSdl) return;
          schemaHash = schemaVersion(coreSupergraphSdl);
          entityKeys = entityKeysFromSupergraph(coreSupergraphSdl);
          options.known?.clear();
        },
      };
    },
    async requestDidStart() {
      let state: RequestState | undefined;
      let age: number | undefined;
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== 'query' || !schemaHash || rc.contextValue.internal) return null;
          const label = metrics.operation(rc.operationName);
          const keys = cacheKeys(
            { schemaHash, queryHash: rc.queryHash ?? '', operationName: rc.operationName, variables: rc.request.variables },
            rc.contextValue.viewer?.id,
          );
          const found = await store.lookup(keys.private ? [keys.private, keys.public] : [keys.public]);
          if (!found) {
            metrics.lookups.inc({ operation: label, result: 'error' });
            return null;
          }
          state = { label, epoch: found.epoch, keys, hit: false };
          const entry = found.entries.find((e) => e !== null) ?? null;
          if (!entry) {
            metrics.lookups.inc({ operation: label, result: 'miss' });
            return null;
          }
          state.hit = true;
          metrics.lookups.inc({ operation: label, result: 'hit' });
          metrics.bytes.inc({ operation: label, direction: 'read' }, found.bytes);
          age = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
          // the client (or a CDN) gets the original lifetime and the entry's age, as HTTP caches expect
          rc.overallCachePolicy.replace({ maxAge: entry.maxAge, scope: entry.scope });
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: JSON.parse(entry.json) } };
        },
        async willSendResponse(rc) {
          if (rc.operation?.operation === 'mutation') return invalidateAfterMutation(rc);
          if (!state) return;
          if (state.hit) {
            if (age !== undefined && rc.overallCachePolicy.policyIfCacheable()?.scope !== 'PRIVATE') rc.response.http.headers.set('age', String(age));
            learn(rc, state);
            return;
          }
          await storeResponse(rc, state);
        },
      };
    },
  };
}
