import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_HEADER, signInternalToken, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { DEDUPE_HEADER } from './perf/fetcher.ts';
import { requestToken, viewerKey } from './perf/token.ts';
import { findUploads, multipartBody } from './uploads.ts';

export interface GatewayContext {
  viewer: Viewer | null;
  requestId: string;
}

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
  ) {
    super(fetcher ? { url, fetcher } : { url });
    this.dedupe = Boolean(fetcher);
  }

  override async willSendRequest({ request, context }: ProcessOptions) {
    const token = await requestToken(context, () => signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId }, this.internalSecret));
    request.http?.headers.set(INTERNAL_HEADER, token);
    if (this.dedupe) request.http?.headers.set(DEDUPE_HEADER, viewerKey(context.viewer ?? null));
  }

  override async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    // Only a multipart request can carry files; walking every fetch's representations for them showed in profiles.
    const multipart = 'incomingRequestContext' in options && options.incomingRequestContext.request.http?.headers.get('content-type')?.startsWith('multipart/');
    const uploads = multipart && options.request.variables ? findUploads(options.request.variables) : [];
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
          [INTERNAL_HEADER]: await signInternalToken({ viewer: context.viewer ?? null, requestId: context.requestId }, this.internalSecret),
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
