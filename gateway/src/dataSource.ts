import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_HEADER, signInternalToken, type Viewer } from '@fabline/shared/auth';
import { requestError, userError } from '@fabline/shared/errors';
import { UploadError } from '@fabline/shared/multipart';
import { traceHeaders } from '@fabline/shared/tracing';
import type { Histogram } from 'prom-client';
import { DEDUPE_HEADER } from './perf/fetcher.ts';
import { requestToken, viewerKey } from './perf/token.ts';
import { findUploads, multipartBody, postStream } from './uploads.ts';

export interface GatewayContext {
  viewer: Viewer | null;
  requestId: string;
  /** The client's address, passed to subgraphs (per-IP field limits). */
  ip?: string;
  /**
   * Set on operations the gateway runs itself (a subscription event's payload): the client's
   * operation was checked when it subscribed, and the payload must be fresh, never cached.
   */
  internal?: boolean;
}

/** Per-subgraph fetch latency by outcome (ok, error), observed by the data source; created by `createFetchMetrics`. */
export type FetchMetrics = Histogram<'subgraph' | 'outcome'>;

type ProcessOptions = Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0];
type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * Every subgraph request carries a short-lived token signed with the internal secret, naming the
 * viewer; subgraphs trust nothing else. Requests with files are forwarded as streamed multipart.
 */
export class FablineDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly dedupe: boolean;

  /** `fetcher` (from `perf/fetcher.ts`) replaces Apollo's default one and enables deduplication. */
  constructor(
    url: string,
    private readonly internalSecret: string,
    fetcher?: Fetcher,
    private readonly observe?: { subgraph: string; metrics: FetchMetrics },
  ) {
    super(fetcher ? { url, fetcher } : { url });
    this.dedupe = Boolean(fetcher);
  }

  override async willSendRequest({ request, context }: ProcessOptions) {
    const token = await requestToken(context, () =>
      signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId, ip: context.ip }, this.internalSecret),
    );
    request.http?.headers.set(INTERNAL_HEADER, token);
    if (this.dedupe) request.http?.headers.set(DEDUPE_HEADER, viewerKey(context.viewer ?? null));
    // the subgraph continues the gateway.fetch span's trace
    for (const [name, value] of Object.entries(traceHeaders())) request.http?.headers.set(name, value);
  }

  override async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    if (!this.observe) return this.forward(options);
    const stop = this.observe.metrics.startTimer({ subgraph: this.observe.subgraph });
    try {
      const response = await this.forward(options);
      stop({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  }

  private async forward(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    // Only a multipart request can carry files; walking every fetch's representations for them showed in profiles.
    const multipart = 'incomingRequestContext' in options && options.incomingRequestContext.request.http?.headers.get('content-type')?.startsWith('multipart/');
    const uploads = multipart && options.request.variables ? findUploads(options.request.variables) : [];
    if (uploads.length === 0) return super.process(options);
    const { request, context } = options;
    const { contentType, body, failure } = multipartBody(request.query ?? '', request.variables ?? {}, uploads, request.operationName);
    let response: { status: number; body: string };
    try {
      response = await postStream(
        this.url,
        {
          'content-type': contentType,
          'apollo-require-preflight': 'true',
          ...traceHeaders(),
          [INTERNAL_HEADER]: await signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId, ip: context.ip }, this.internalSecret),
        },
        body,
      );
    } catch (error) {
      const reason = failure();
      if (reason instanceof UploadError && reason.status === 413) throw requestError('PAYLOAD_TOO_LARGE', reason.message);
      // a malformed or stalled body: the whole answer gets the 4xx, as when the gateway refuses it before GraphQL
      if (reason instanceof UploadError)
        throw requestError('BAD_USER_INPUT', reason.message, { http: { status: reason.status === 499 ? 400 : reason.status } });
      throw userError('BAD_USER_INPUT', `The upload could not be forwarded: ${(error as Error).message}`);
    }
    const result = JSON.parse(response.body) as GatewayGraphQLResponse;
    // the subgraph's own limit: the client gets the same 413 the gateway's limit gives
    if (response.status === 413) throw requestError('PAYLOAD_TOO_LARGE', result.errors?.[0]?.message ?? 'The file is too large');
    return result;
  }
}

type SendRequest = (request: GatewayGraphQLRequest, context: GatewayContext) => Promise<GatewayGraphQLResponse>;

/**
 * RemoteGraphQLDataSource's private `sendRequest` (2.14) without the node-fetch `Request` it builds
 * for every subgraph call only to hand to `parseBody` and `didEncounterError`, which ignore it
 * here (URL parsing and header copies showed in profiles). Everything else is Apollo's: the same
 * body, fetcher call, errors for non-2xx answers, body parsing and checks. `executor.test.ts`
 * fails if an upgrade renames the method.
 */
async function sendRequest(this: FablineDataSource, request: GatewayGraphQLRequest, context: GatewayContext): Promise<GatewayGraphQLResponse> {
  if (!request.http) throw new Error("Internal error: Only 'http' requests are supported.");
  const { http, ...withoutHttp } = request;
  const init = { method: http.method, headers: plainHeaders(http.headers), body: JSON.stringify(withoutHttp) };
  let response: Awaited<ReturnType<Fetcher>> | undefined;
  try {
    response = await this.fetcher(http.url, init);
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response, undefined, context);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${body}`);
    return { ...body, http: response };
  } catch (error) {
    this.didEncounterError(error as Error, undefined as never, response, context, request);
    throw error;
  }
}

/**
 * The request headers as a plain object, as `Object.fromEntries(headers)` gives them (names in
 * lower case, repeated values joined by ", "), read from node-fetch's own map (`raw()`) instead of
 * its sorted iterator, which copied and sorted every name for each subgraph call.
 */
function plainHeaders(headers: NonNullable<GatewayGraphQLRequest['http']>['headers']): Record<string, string> {
  const raw = (headers as unknown as { raw?: () => Record<string, string[]> }).raw?.();
  if (!raw) return Object.fromEntries(headers);
  const plain: Record<string, string> = {};
  for (const name of Object.keys(raw)) plain[name.toLowerCase()] = (raw[name] as string[]).join(', ');
  return plain;
}

const prototype = RemoteGraphQLDataSource.prototype as unknown as { sendRequest?: SendRequest };
if (typeof prototype.sendRequest === 'function') (FablineDataSource.prototype as unknown as { sendRequest: SendRequest }).sendRequest = sendRequest;
