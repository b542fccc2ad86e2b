import type { ExecutionResult } from 'graphql';
import { type ConnectionBudget, isOverBudget, type SubscriptionLimits } from './limits.ts';

/**
 * One event's payload as every subscriber of one operation and viewer receives it: serialized
 * once, and each transport caches its own encoding of it (a WebSocket frame per operation id)
 * so fanning it out to thousands of sockets writes the same bytes instead of re-encoding them.
 */
export class SharedPayload {
  private text: string | undefined;
  private readonly encoded = new Map<string, Buffer>();

  constructor(readonly result: ExecutionResult) {}

  get json(): string {
    this.text ??= JSON.stringify(this.result);
    return this.text;
  }

  /** The bytes `encode` makes of this payload for `key`, made once. */
  encode(key: string, encode: (json: string) => Buffer): Buffer {
    let bytes = this.encoded.get(key);
    if (!bytes) {
      bytes = encode(this.json);
      this.encoded.set(key, bytes);
    }
    return bytes;
  }
}

/**
 * The async generator a transport pulls events from. Producers `push`; the transport pulls one
 * event after the previous one was written, so a slow socket makes the queue grow, and the
 * connection's budget (not this queue) decides when the client is cut off. A transport that
 * writes events itself (`writeDirectly`) says when its socket is full; events are then held here,
 * counted against the budget, until it drains.
 */
export class EventStream implements AsyncGenerator<ExecutionResult, undefined> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: { resolve: (r: IteratorResult<ExecutionResult, undefined>) => void; reject: (e: unknown) => void } | null = null;
  private ended = false;
  private failure: unknown = null;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly budget: ConnectionBudget,
    private readonly limits: Pick<SubscriptionLimits, 'maxPendingEvents' | 'maxBufferedBytes'>,
  ) {}

  get done() {
    return this.ended;
  }

  /** Runs when the stream ends for any reason (client completes, disconnects, error). */
  onEnd(cleanup: () => void) {
    if (this.ended) cleanup();
    else this.cleanups.push(cleanup);
  }

  private direct: ((payload: SharedPayload) => boolean) | null = null;
  /** Events held while the transport's socket is full (direct writing only), and their bytes. */
  private readonly backlog: SharedPayload[] = [];
  private backlogBytes = 0;
  /** The transport's socket said it takes no more until it drains. */
  private full = false;
  /** Events a producer took for this stream (see `hold`) and has not pushed yet. */
  private held = 0;

  /**
   * For a transport that writes events itself: one payload per event, shared by every
   * subscriber of the same operation and viewer, written without a per-event promise. `write`
   * answers false once the socket takes no more (as `Writable.write` does); the transport then
   * calls `drained` when it does. What was queued before is written first, so order holds.
   */
  writeDirectly(write: (payload: SharedPayload) => boolean) {
    this.direct = write;
    for (const result of this.queue.splice(0)) {
      const payload = new SharedPayload(result);
      this.backlog.push(payload);
      this.backlogBytes += payload.json.length;
    }
    this.drained();
  }

  /** The transport's socket takes writes again: what was held is written, in order, until it is full again. */
  drained() {
    if (!this.direct || this.ended) return;
    this.full = false;
    while (this.backlog.length > 0 && !this.full) {
      const payload = this.backlog.shift() as SharedPayload;
      this.budget.pending--;
      this.backlogBytes -= payload.json.length;
      this.full = !this.direct(payload);
    }
  }

  /**
   * Counts an event a producer has taken for this stream but not pushed yet (it is still being
   * resolved, or waits for earlier events), so an order's in-order delivery cannot hold events for
   * a connection beyond its budget. False (and the client cut off) when that is over the budget.
   */
  hold(): boolean {
    if (this.ended || this.budget.closed) return false;
    this.held++;
    this.budget.pending++;
    if (this.budget.pending <= this.limits.maxPendingEvents) return true;
    this.budget.overflow();
    return false;
  }

  /** Gives back what `hold` took: the event was pushed or will not be. */
  release() {
    if (this.held === 0) return;
    this.held--;
    this.budget.pending--;
  }

  /** Queues (or writes) an event; false when the stream is over or the connection was cut off for it. */
  push(result: ExecutionResult, shared?: SharedPayload): boolean {
    if (this.ended || this.budget.closed) return false;
    if (this.direct) {
      const payload = shared ?? new SharedPayload(result);
      if (this.full) {
        // the socket is full: the client does not read. Held here, counted, until it drains
        this.backlog.push(payload);
        this.backlogBytes += payload.json.length;
        this.budget.pending++;
      } else this.full = !this.direct(payload);
      if (this.budget.pending <= this.limits.maxPendingEvents && this.budget.bufferedBytes() + this.backlogBytes <= this.limits.maxBufferedBytes) return true;
      this.budget.overflow();
      return false;
    }
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
      return true;
    }
    this.queue.push(result);
    this.budget.pending++;
    if (isOverBudget(this.budget, this.limits)) {
      this.budget.overflow();
      return false;
    }
    return true;
  }

  /** Ends after the queued events; with an error, the transport reports it as the operation's error. */
  end(error?: unknown) {
    if (this.ended) return;
    if (error !== undefined) this.failure = error;
    if (this.queue.length === 0) this.finish();
    else this.endAfterQueue = true;
  }

  private endAfterQueue = false;

  private finish() {
    if (this.ended) return;
    this.ended = true;
    this.budget.pending -= this.queue.length + this.backlog.length + this.held;
    this.queue.length = 0;
    this.backlog.length = 0;
    this.backlogBytes = 0;
    this.held = 0;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    if (this.failure !== null) {
      waiting.reject(this.failure);
      this.failure = null;
    } else waiting.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    const value = this.queue.shift();
    if (value) {
      this.budget.pending--;
      if (this.endAfterQueue && this.queue.length === 0) this.finish();
      return Promise.resolve({ value, done: false });
    }
    if (this.endAfterQueue) this.finish();
    if (this.ended) {
      if (this.failure !== null) {
        const failure = this.failure;
        this.failure = null;
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.failure = null;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }
}
