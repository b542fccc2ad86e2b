import { PrismaPg } from '@prisma/adapter-pg';
import { Counter } from 'prom-client';
import type { Metrics } from '../platform/metrics.ts';

/** Options every subgraph passes to its generated PrismaClient: the pg driver adapter (Prisma 7) and query events. */
export function prismaOptions(databaseUrl: string, { max = 10 }: { max?: number } = {}) {
  return {
    adapter: new PrismaPg({ connectionString: databaseUrl, max }),
    log: [{ emit: 'event' as const, level: 'query' as const }],
  };
}

interface QueryEvents {
  $on(event: 'query', listener: (event: { query: string; duration: number }) => void): void;
}

const TABLE = /\bFROM\s+"(?:\w+)"\."(\w+)"|\bINTO\s+"(?:\w+)"\."(\w+)"|\bUPDATE\s+"(?:\w+)"\."(\w+)"|\bFROM\s+"(\w+)"/i;

/**
 * Counts database round trips per table (`fabline_db_queries_total`): the figure that shows
 * whether `_entities` batching works. Table names are few, so the label stays bounded.
 */
export function countQueries(prisma: QueryEvents, metrics: Metrics) {
  const counter =
    (metrics.registry.getSingleMetric('fabline_db_queries_total') as Counter<'table'> | undefined) ??
    new Counter({ name: 'fabline_db_queries_total', help: 'Database round trips by table', labelNames: ['table'] as const, registers: [metrics.registry] });
  prisma.$on('query', ({ query }) => {
    const match = TABLE.exec(query);
    counter.inc({ table: match?.slice(1).find(Boolean) ?? 'other' });
  });
}
