import type { Viewer } from '@fabline/shared/auth';
import type { OrderStatusMessage, QuoteReadyMessage } from '@fabline/shared/events';
import { orderStatusChannel, quoteReadyChannel } from '@fabline/shared/events';
import { withTimeout } from '@fabline/shared/http';
import type { Logger } from '@fabline/shared/logger';
import { channelName } from '@fabline/shared/redis';
import type { Express, Request } from 'express';
import express from 'express';
import type { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { EventSource } from '../eventSource.ts';
import type { CacheMetrics } from './cacheMetrics.ts';
import type { CacheStore } from './cacheStore.ts';
import { entityTag, typeTag, UNTRACEABLE, unknownEntityTag, viewerTag } from './entityTags.ts';

/** Tags to purge when `Type:id` changed: entries naming it, and entries holding a `Type` whose key was not selected. */
export const tagsForEntity = (type: string, id: string) => [entityTag(type, id), unknownEntityTag(type)];

/**
 * What a mutation changed, read from its response: each entity it returns (a `Type:?` it returns
 * without a key stands for any `Type`), and the caller's own private entries (their lists).
 */
export function tagsChangedByMutation(responseTags: Set<string>, viewerId: string | null | undefined): string[] {
  const purge = new Set<string>();
  for (const tag of responseTags) {
    if (tag === UNTRACEABLE) continue;
    const colon = tag.indexOf(':');
    if (colon < 0) continue;
    const type = tag.slice(0, colon);
    const id = tag.slice(colon + 1);
    if (id === '?') purge.add(typeTag(type));
    else for (const t of tagsForEntity(type, id)) purge.add(t);
  }
  if (viewerId) purge.add(viewerTag(viewerId));
  return [...purge];
}

export interface InvalidationListenerOptions {
  /** Where order status and quote messages are heard (the gateway's shared fan-out). */
  events: Pick<EventSource, 'listenPattern'>;
  namespace: string;
  store: CacheStore;
  metrics: CacheMetrics;
  logger: Logger;
  /** Called for every message, before its purge. */
  onInvalidation?: () => void;
  /** Told when each message's purge has ended. */
  purged: PurgedMessages;
}

/**
 * The messages whose purge has ended, so that the subscription engine sends an event only after
 * the cache holds nothing it made stale, on any replica: a client that sees the new status pushed
 * and then reads it cannot get the old one. Keyed by the message as published (both hear the same
 * text, in no fixed order); bounded, and a wait never outlasts `maxWaitMs`.
 */
export class PurgedMessages {
  private readonly messages = new Map<string, { done: Promise<void>; finish: () => void }>();

  constructor(
    private readonly maxWaitMs: number,
    private readonly max = 10_000,
  ) {}

  private entry(raw: string) {
    let entry = this.messages.get(raw);
    if (!entry) {
      let finish!: () => void;
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      entry = { done, finish };
      this.messages.set(raw, entry);
      if (this.messages.size > this.max) this.messages.delete(this.messages.keys().next().value as string);
    }
    return entry;
  }

  finished(raw: string) {
    this.entry(raw).finish();
  }

  /** Resolves once the purge of `raw` has ended, or after `maxWaitMs` (a message the cache never hears). */
  async settled(raw: string): Promise<void> {
    await withTimeout(this.entry(raw).done, this.maxWaitMs, 'purge').catch(() => {});
  }
}

/**
 * Order status changes (published by shop after the change is stored) and finished quotes drop the
 * entries that hold them. Every replica hears every message and purges (idempotent), and waits until
 * every replica has dropped its copies in memory: announced even when another replica's purge
 * deleted the entries first, its acknowledgements come after that purge's on every connection.
 */
export async function listenForInvalidations({ events, namespace, store, metrics, logger, onInvalidation, purged }: InvalidationListenerOptions) {
  const orders = channelName(namespace, orderStatusChannel('*'));
  const quotes = channelName(namespace, quoteReadyChannel('*'));
  const heard = (pattern: string, raw: string) => {
    onInvalidation?.();
    let source: 'order_status' | 'quote_ready';
    let tags: string[];
    try {
      if (pattern === orders) {
        const message = JSON.parse(raw) as OrderStatusMessage;
        source = 'order_status';
        // the customer's lists (myOrders) show the status too
        tags = [...tagsForEntity('Order', message.orderId), viewerTag(message.customerId)];
      } else {
        const message = JSON.parse(raw) as QuoteReadyMessage;
        source = 'quote_ready';
        tags = tagsForEntity('Quote', message.quoteId);
      }
    } catch (error) {
      logger.warn({ err: error, pattern }, 'unreadable invalidation message');
      purged.finished(raw);
      return;
    }
    store
      .invalidate(tags)
      .then(
        ({ entries }) => {
          metrics.invalidations.inc({ source });
          metrics.invalidatedEntries.inc({ source }, entries);
        },
        (error: unknown) => logger.warn({ err: error, tags }, 'cache invalidation failed'),
      )
      .finally(() => purged.finished(raw));
  };
  await Promise.all([events.listenPattern(orders, (raw) => heard(orders, raw)), events.listenPattern(quotes, (raw) => heard(quotes, raw))]);
}

const ADMIN_BODY = z
  .object({
    types: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a type name such as "Material"'))
      .max(100)
      .default([]),
    entities: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*:.+$/, 'an entity as "Type:id", such as "Order:123"'))
      .max(1000)
      .default([]),
    tags: z.array(z.string().min(1).max(200)).max(1000).default([]),
  })
  .strict()
  .refine((b) => b.types.length + b.entities.length + b.tags.length > 0, 'name at least one of "types", "entities" or "tags"');

export interface AdminRouteOptions {
  store: CacheStore;
  metrics: CacheMetrics;
  resolveViewer: (req: Request) => Promise<Viewer | null>;
}

const fail = (res: express.Response, status: number, code: string, message: string) => res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * `POST /admin/cache/invalidate` `{ types?: ["Material"], entities?: ["Order:123"], tags?: [...] }`
 * for ADMIN tokens: drops the entries in Redis and the copies every replica holds in memory, and
 * answers once they are gone: the tags purged, how many entries went, and `replicas`
 * (`acknowledged`, or `lease_expired` when one did not answer and has stopped serving from memory).
 */
export function adminInvalidationRoute(app: Express, { store, metrics, resolveViewer }: AdminRouteOptions) {
  app.post('/admin/cache/invalidate', express.json({ limit: '256kb' }), async (req, res) => {
    let viewer: Viewer | null;
    try {
      viewer = await resolveViewer(req);
    } catch (error) {
      const e = error as GraphQLError;
      const status = (e.extensions?.http as { status?: number } | undefined)?.status ?? 401;
      return fail(res, status, String(e.extensions?.code ?? 'UNAUTHENTICATED'), e.message);
    }
    if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', 'Log in as an admin: send "Authorization: Bearer <token>"');
    if (viewer.role !== 'ADMIN') return fail(res, 403, 'FORBIDDEN', `Invalidating the cache needs role ADMIN; you are ${viewer.role}`);
    const parsed = ADMIN_BODY.safeParse(req.body ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return fail(res, 400, 'BAD_USER_INPUT', `Bad invalidation request (${detail}); send { types?: string[], entities?: ["Type:id"], tags?: string[] }`);
    }
    const { types, entities, tags } = parsed.data;
    const purge = new Set<string>([...types.map(typeTag), ...tags]);
    for (const entity of entities) {
      const colon = entity.indexOf(':');
      for (const t of tagsForEntity(entity.slice(0, colon), entity.slice(colon + 1))) purge.add(t);
    }
    try {
      const { entries, replicas } = await store.invalidate([...purge]);
      metrics.invalidations.inc({ source: 'admin' });
      metrics.invalidatedEntries.inc({ source: 'admin' }, entries);
      res.json({ tags: [...purge], entries, replicas });
    } catch {
      fail(res, 503, 'SERVICE_UNAVAILABLE', 'The cache cannot be reached; try again shortly');
    }
  });
}
