import type { Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { type OrderStatusMessage, type QuoteReadyMessage, quoteReadyChannel } from '@fabline/shared/events';
import { assertId } from '@fabline/shared/ids';
import type { GraphQLFormattedError } from 'graphql';
import type { Subscriber } from './fanout.ts';
import type { SubscriptionHub } from './hub.ts';
import type { ConnectionBudget } from './limits.ts';
import { fromFormatted } from './orderStatus.ts';
import type { SubscriptionPlan } from './plan.ts';
import { resolveEvent } from './resolveEvent.ts';
import type { EventStream } from './stream.ts';

const CHECK_QUOTE = 'query SubscriptionCheck($id: ID!) { quote(id: $id) { status } }';

/**
 * `quoteReady(quoteId)`: one answer once a quote is priced, then the end of the stream. A quote
 * already priced when the subscription starts (or priced while it was checked) is answered at once.
 */
export class QuoteReadySubscriptions {
  constructor(private readonly hub: SubscriptionHub) {}

  async start(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string): Promise<EventStream> {
    const quoteId = String(plan.args.quoteId ?? '');
    assertId(quoteId, 'quote');
    const subscriber = this.hub.newSubscriber(plan, viewer, budget, requestId, () => true);
    await this.hub.join(this.hub.channel(quoteReadyChannel(quoteId)), subscriber, (raw) => this.onMessage(raw));
    const check = await this.hub.federate({ viewer, requestId })(CHECK_QUOTE, { id: quoteId });
    const quote = check.data?.quote as { status: string } | null | undefined;
    if (check.errors?.length || !quote) {
      void subscriber.stream.return();
      if (check.errors?.length) throw fromFormatted(check.errors[0] as GraphQLFormattedError);
      throw userError('NOT_FOUND', `Quote ${quoteId} not found`);
    }
    const buffered = subscriber.buffer?.length ?? 0;
    subscriber.buffer = null;
    // already priced (or priced while we checked): answer now instead of waiting for an event that came and went
    if (quote.status !== 'PENDING' || buffered > 0) void this.finish([subscriber], quoteId);
    return subscriber.stream;
  }

  private onMessage(raw: string) {
    let message: QuoteReadyMessage;
    try {
      message = JSON.parse(raw) as QuoteReadyMessage;
    } catch {
      return;
    }
    const subscribers = this.hub.groupsOf(this.hub.channel(quoteReadyChannel(message.quoteId))).flat();
    // still being checked: the check's end answers them
    for (const subscriber of subscribers) subscriber.buffer?.push({} as OrderStatusMessage);
    void this.finish(
      subscribers.filter((s) => !s.buffer),
      message.quoteId,
      raw,
    );
  }

  /** One resolution per group (same viewer and operation), once the cache purged what `raw` made stale; each stream then ends. */
  private async finish(subscribers: Subscriber[], quoteId: string, raw?: string) {
    const groups = new Map<string, Subscriber[]>();
    for (const s of subscribers) {
      if (s.stream.done) continue;
      groups.set(s.groupKey, [...(groups.get(s.groupKey) ?? []), s]);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0] as Subscriber;
        const [result] = await Promise.all([
          this.hub.safely(first, () => resolveEvent(this.hub.options.schema(), first.plan, quoteId, null, this.hub.federate(first))),
          raw === undefined ? undefined : this.hub.options.purged?.(raw),
        ]);
        for (const subscriber of group) {
          this.hub.push(subscriber, result, null);
          subscriber.stream.end();
        }
      }),
    );
  }
}
