import { Counter, Histogram } from 'prom-client';
import { Bus, type BusOptions, type ConsumeOptions, ConsumerStatus, type EventHandler } from './bus.ts';
import type { Metrics } from './metrics.ts';

const STATUS: Record<number, string> = { [ConsumerStatus.ACK]: 'ack', [ConsumerStatus.REQUEUE]: 'requeue', [ConsumerStatus.DROP]: 'drop' };

/**
 * The bus with Prometheus metrics for publishing and handling: publish outcomes by destination,
 * handled messages and handler duration by queue (the Bus itself reports queue depth, in-flight
 * messages and lag). Labels are event types and queue names without the namespace.
 */
export class ObservedBus extends Bus {
  private readonly published: Counter<'destination' | 'outcome'>;
  private readonly handled: Counter<'queue' | 'outcome'>;
  private readonly handling: Histogram<'queue'>;

  constructor(options: BusOptions, { registry }: Metrics) {
    super(options);
    const registers = [registry];
    this.published = new Counter({
      name: 'fabline_bus_published_total',
      help: 'Messages published (events by type, jobs by queue), by outcome (confirmed, failed)',
      labelNames: ['destination', 'outcome'] as const,
      registers,
    });
    this.handled = new Counter({
      name: 'fabline_bus_consumed_total',
      help: 'Messages handled, by queue and outcome (ack, requeue, drop, error)',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    });
    this.handling = new Histogram({
      name: 'fabline_bus_handle_duration_seconds',
      help: 'Time a consumer spent on one message, by queue',
      labelNames: ['queue'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
  }

  override async publish<T>(type: string, data: T, id?: string) {
    return this.count(type, () => super.publish(type, data, id));
  }

  override async send<T>(queue: string, data: T, id?: string) {
    return this.count(queue, () => super.send(queue, data, id));
  }

  override consume(options: ConsumeOptions, handler: EventHandler) {
    const queue = options.spec?.queue ?? options.queue ?? '';
    return super.consume(options, async (event, message) => {
      const stop = this.handling.startTimer({ queue });
      try {
        const status = await handler(event, message);
        this.handled.inc({ queue, outcome: STATUS[status ?? ConsumerStatus.ACK] ?? 'ack' });
        return status;
      } catch (error) {
        this.handled.inc({ queue, outcome: 'error' });
        throw error;
      } finally {
        stop();
      }
    });
  }

  private async count<R>(destination: string, publish: () => Promise<R>): Promise<R> {
    try {
      const result = await publish();
      this.published.inc({ destination, outcome: 'confirmed' });
      return result;
    } catch (error) {
      this.published.inc({ destination, outcome: 'failed' });
      throw error;
    }
  }
}
