import type { OrderStatusMessage } from '@fabline/shared/events';
import { readOrderEvents } from '@fabline/shared/orderEventLog';
import type { Redis } from '@fabline/shared/redis';

export type MessageListener = (raw: string, channel: string) => void;

export interface EventSourceOptions {
  /** The process's subscriber connection (see redisConnections.ts); others may subscribe on it to channels of their own. */
  subscriber: Redis;
  /** The process's command connection, for the order event log. */
  commands: Redis;
}

/**
 * Redis pub/sub fan-out for one gateway process: one subscriber connection, one Redis
 * subscription per channel (or pattern) however many local listeners share it (the response
 * cache's invalidations and the subscriptions hear `order-status:*` through the same one). Every
 * replica subscribes on its own, so an event published once reaches clients on every replica. A
 * feed that resumes reads what it missed from the order event log over the command connection.
 */
export class EventSource {
  readonly subscriber: Redis;
  private readonly channels = new Map<string, Set<MessageListener>>();
  private readonly patterns = new Map<string, Set<MessageListener>>();

  constructor(private readonly options: EventSourceOptions) {
    this.subscriber = options.subscriber;
    this.subscriber.on('message', (channel: string, raw: string) => {
      for (const listener of this.channels.get(channel) ?? []) listener(raw, channel);
    });
    this.subscriber.on('pmessage', (pattern: string, channel: string, raw: string) => {
      for (const listener of this.patterns.get(pattern) ?? []) listener(raw, channel);
    });
  }

  /** Resolves once Redis confirmed the subscription: events published after that are heard. */
  listen(channel: string, listener: MessageListener): Promise<() => void> {
    return this.add(
      this.channels,
      channel,
      listener,
      (c) => this.subscriber.subscribe(c),
      (c) => this.subscriber.unsubscribe(c),
    );
  }

  /** Like `listen`, for a glob pattern (`<ns>:order-status:*`): the staff feeds, the response cache. */
  listenPattern(pattern: string, listener: MessageListener): Promise<() => void> {
    return this.add(
      this.patterns,
      pattern,
      listener,
      (p) => this.subscriber.psubscribe(p),
      (p) => this.subscriber.punsubscribe(p),
    );
  }

  /** Distinct Redis subscriptions held (channels + patterns). */
  get size() {
    return this.channels.size + this.patterns.size;
  }

  private async add(
    map: Map<string, Set<MessageListener>>,
    name: string,
    listener: MessageListener,
    subscribe: (name: string) => Promise<unknown>,
    unsubscribe: (name: string) => Promise<unknown>,
  ) {
    let set = map.get(name);
    const first = !set;
    if (!set) {
      set = new Set();
      map.set(name, set);
    }
    set.add(listener);
    const pending = this.pending.get(name);
    if (first) {
      const confirmed = subscribe(name).then(() => {});
      this.pending.set(name, confirmed);
      try {
        await confirmed;
      } catch (error) {
        set.delete(listener);
        if (set.size === 0) map.delete(name);
        throw error;
      } finally {
        if (this.pending.get(name) === confirmed) this.pending.delete(name);
      }
    } else if (pending) {
      // someone else's SUBSCRIBE for this channel is in flight: live only once Redis confirmed it
      await pending;
    }
    return () => {
      const current = map.get(name);
      if (!current?.delete(listener) || current.size > 0) return;
      map.delete(name);
      void unsubscribe(name).catch(() => {});
    };
  }

  private readonly pending = new Map<string, Promise<void>>();

  /** Status changes logged after `after` (see `readOrderEvents`); null when `after` is no longer in the log. */
  readOrderEvents(after: string, count: number): Promise<OrderStatusMessage[] | null> {
    return readOrderEvents(this.options.commands, after, count);
  }
}
