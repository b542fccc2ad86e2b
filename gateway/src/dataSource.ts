import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_HEADER, signInternalToken, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { traceHeaders } from '@fabline/shared/tracing';
import type { FetchMetrics } from './observability/operationMetrics.ts';
import { findUploads, multipartBody } from './uploads.ts';

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

type ProcessOptions = Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0];

/**
 * Every subgraph request carries a short-lived token signed with the internal secret, naming the
 * viewer; subgraphs trust nothing else. Requests with files are forwarded as streamed multipart.
 */
export class FablineDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly internalSecret: string,
    private readonly observe?: { subgraph: string; metrics: FetchMetrics },
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: ProcessOptions) {
    const token = await signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId, ip: context.ip }, this.internalSecret);
    request.http?.headers.set(INTERNAL_HEADER, token);
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
    const uploads = options.request.variables ? findUploads(options.request.variables) : [];
    if (uploads.length === 0) return super.process(options);
    const { request, context } = options;
    const { contentType, body } = multipartBody(request.query ?? '', request.variables ?? {}, uploads, request.operationName);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'apollo-require-preflight': 'true',
          ...traceHeaders(),
          [INTERNAL_HEADER]: await signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId, ip: context.ip }, this.internalSecret),
        },
        body,
        duplex: 'half',
      } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: { status?: number; message?: string } }).cause;
      if (cause?.status === 413) throw userError('PAYLOAD_TOO_LARGE', cause.message ?? 'The file is too large');
      throw userError('BAD_USER_INPUT', `The upload could not be forwarded: ${cause?.message ?? (error as Error).message}`);
    }
    return (await response.json()) as GatewayGraphQLResponse;
  }
}
