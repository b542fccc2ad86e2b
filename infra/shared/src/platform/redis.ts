import { Redis } from 'ioredis';
import { traceRedis } from '../tracing/instrumentation.ts';
import type { Logger } from './logger.ts';

export { Redis };

export interface RedisOptions {
  url: string;
  namespace: string;
  logger: Logger;
}

/** A Redis connection whose keys are prefixed with the namespace. Subscribers need a connection of their own. */
export function createRedis({ url, namespace, logger }: RedisOptions): Redis {
  const redis = new Redis(url, { keyPrefix: `${namespace}:`, maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: error, url }, 'redis error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return traceRedis(redis);
}

/** Channel names are not prefixed by ioredis' keyPrefix, so the namespace is added here. */
export const channelName = (namespace: string, name: string) => `${namespace}:${name}`;

/**
 * Channel listeners over one subscriber connection, reference-counted so that many waiters
 * can share a channel and the last one to leave unsubscribes.
 */
export class ChannelListeners {
  private readonly listeners = new Map<string, Set<(raw: string) => void>>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, raw: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(raw);
    });
  }

  /** Resolves once the subscription is live; the returned function removes the listener. */
  async listen(channel: string, listener: (raw: string) => void): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    await this.subscriber.subscribe(channel);
    return () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      void this.subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  /**
   * Waits for the first message on `channel` that `accept` takes, or null after `timeoutMs`.
   * `ready` resolves when the subscription is live: subscribe first, then cause the event.
   * `cancel()` stops waiting at once (the result is then null).
   */
  waitFor<T>(channel: string, accept: (message: T) => boolean, timeoutMs: number) {
    let settle: (value: T | null) => void = () => {};
    const result = new Promise<T | null>((resolve) => {
      settle = resolve;
    });
    let remove: () => void = () => {};
    let done = false;
    const finish = (value: T | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      remove();
      settle(value);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const ready = this.listen(channel, (raw) => {
      const message = JSON.parse(raw) as T;
      if (accept(message)) finish(message);
    }).then((unlisten) => {
      remove = unlisten;
      if (done) unlisten();
    });
    return { ready, result, cancel: () => finish(null) };
  }
}
