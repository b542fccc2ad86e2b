import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '@fabline/shared/metrics';
import { Counter, Histogram } from 'prom-client';
import type { FetchMetrics, GatewayContext } from '../dataSource.ts';

export interface OperationMetricsOptions {
  /** Distinct operation names kept as labels; later ones count as `other`. @default 100 */
  maxOperations?: number;
  /** Distinct client names kept as labels; later ones count as `other`. @default 20 */
  maxClients?: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const NAME = /^[_A-Za-z][_0-9A-Za-z.-]{0,63}$/;

/**
 * A label whose values come from clients: the first `max` distinct values are kept, anything
 * later (or malformed) becomes `other`, so a client inventing names cannot grow the series.
 */
export function boundedLabel(max: number) {
  const seen = new Set<string>();
  return (value: string | null | undefined, fallback: string) => {
    if (!value) return fallback;
    if (seen.has(value)) return value;
    if (seen.size >= max || !NAME.test(value)) return 'other';
    seen.add(value);
    return value;
  };
}

/** Per-subgraph fetch latency, observed by the data source. */
export function createFetchMetrics({ registry }: Metrics): FetchMetrics {
  return new Histogram({
    name: 'fabline_gateway_subgraph_fetch_duration_seconds',
    help: 'Gateway → subgraph fetch duration, by subgraph and outcome (ok, error)',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

/**
 * Request rate, latency and errors per operation name and client at the gateway. The client is
 * the `apollographql-client-name` header (Apollo Client sets it), else the viewer's role.
 */
export function createOperationMetrics({ registry }: Metrics, { maxOperations = 100, maxClients = 20 }: OperationMetricsOptions = {}) {
  const duration = new Histogram({
    name: 'fabline_gateway_operation_duration_seconds',
    help: 'GraphQL operations at the gateway: duration by operation name, type and client (count = request rate)',
    labelNames: ['operation', 'type', 'client'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'fabline_gateway_operation_errors_total',
    help: 'GraphQL errors at the gateway by operation name, client and code',
    labelNames: ['operation', 'client', 'code'] as const,
    registers: [registry],
  });
  const operationLabel = boundedLabel(maxOperations);
  const clientLabel = boundedLabel(maxClients);
  const clientOf = (header: string | undefined, viewer: GatewayContext['viewer']) => clientLabel(header, viewer?.role.toLowerCase() ?? 'anonymous');
  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request, contextValue }) {
      const started = process.hrtime.bigint();
      const client = clientOf(request.http?.headers.get('apollographql-client-name'), contextValue.viewer);
      let type = 'unknown';
      return {
        async didResolveOperation({ operation }) {
          type = operation?.operation ?? type;
        },
        async didEncounterErrors({ errors: list, operationName }) {
          const operation = operationLabel(operationName ?? request.operationName, 'anonymous');
          for (const error of list) errors.inc({ operation, client, code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse({ operationName }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          duration.observe({ operation: operationLabel(operationName ?? request.operationName, 'anonymous'), type, client }, seconds);
        },
      };
    },
  };
  /** For an operation answered without Apollo (the response cache's fast path). */
  const observe = (operationName: string | null | undefined, type: string, clientName: string | undefined, viewer: GatewayContext['viewer'], seconds: number) =>
    duration.observe({ operation: operationLabel(operationName, 'anonymous'), type, client: clientOf(clientName, viewer) }, seconds);
  return { plugin, observe };
}

export type OperationMetrics = ReturnType<typeof createOperationMetrics>;
