import { createServer } from 'node:http';

/** One span as an OTLP/HTTP JSON export carries it, with its resource's service name. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** Base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests received (JSON or not). */
  requests: number;
  close(): Promise<void>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: {
      spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: AnyValue }[] }[];
    }[];
  }[];
}

const plainValue = (v: AnyValue) => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const toRecord = (attributes: { key: string; value: AnyValue }[] = []) => Object.fromEntries(attributes.map((a) => [a.key, plainValue(a.value)]));

/**
 * A tiny OTLP/HTTP receiver on a free loopback port: the in-memory exporter of the e2e tests,
 * across processes. It keeps JSON exports (what `@opentelemetry/exporter-trace-otlp-http` sends)
 * and answers every export with 200, so it also serves as a no-op collector for benchmarks.
 */
export async function startOtlpReceiver({ keep = true }: { keep?: boolean } = {}): Promise<OtlpReceiver> {
  const receiver: OtlpReceiver = { url: '', spans: [], requests: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.requests++;
      if (keep && String(req.headers['content-type']).includes('json')) {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest;
          for (const resourceSpans of body.resourceSpans ?? []) {
            const service = String(toRecord(resourceSpans.resource?.attributes)['service.name']);
            for (const scope of resourceSpans.scopeSpans ?? [])
              for (const span of scope.spans ?? [])
                receiver.spans.push({ service, ...span, parentSpanId: span.parentSpanId || undefined, attributes: toRecord(span.attributes) });
          }
        } catch {
          // a malformed export is counted, not kept
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}
