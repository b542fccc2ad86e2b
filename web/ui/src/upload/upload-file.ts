/** One GraphQL error as a server sends it. */
export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponseBody<TData> {
  data?: TData | null;
  errors?: readonly GraphQLErrorBody[];
  extensions?: Record<string, unknown>;
}

/**
 * The operation of a GraphQL multipart request. With persisted queries, send
 * `extensions.persistedQuery` and leave `query` out.
 */
export interface UploadOperation {
  operationName?: string;
  query?: string;
  variables?: Record<string, unknown>;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string }; [key: string]: unknown };
}

export interface UploadFileOptions {
  /** The GraphQL endpoint, e.g. '/graphql'. */
  url: string;
  file: Blob;
  /** File name sent in the multipart part. @default the File's name, else 'upload' */
  fileName?: string;
  operation: UploadOperation;
  /** Where the file goes in the operation, as the spec's object path. @default 'variables.file' */
  filePath?: string;
  /** E.g. `{ Authorization: 'Bearer …' }`. `apollo-require-preflight: true` is always added (CSRF prevention). */
  headers?: Record<string, string>;
  /** Percent of the request body sent, 0–100, rising; 100 once the whole file is sent. */
  onProgress?: (percent: number) => void;
  /** Aborting cancels the transfer (`xhr.abort()`); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The server refused the request: HTTP status, and the GraphQL errors of its body when it had some. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    message: string,
    /** 0 when no answer came (network lost). */
    readonly status: number,
    readonly errors: readonly GraphQLErrorBody[],
    /** Seconds from a `Retry-After` header (RATE_LIMITED). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** `extensions.code` of the first error: what the app maps to a sentence. */
  get code(): string {
    return this.errors[0]?.extensions?.code ?? (this.status === 0 ? 'NETWORK_ERROR' : this.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL_SERVER_ERROR');
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof UploadError;
}

/**
 * Sends one file as a GraphQL multipart request (operations + map + file part, per the GraphQL
 * multipart request spec) over XMLHttpRequest, because fetch reports no upload progress.
 * Resolves with the GraphQL response of a 2xx answer (check its `errors` too); rejects with an
 * `UploadError` for any other answer or a lost network, and with the signal's reason on abort.
 */
export function uploadFile<TData = unknown>(options: UploadFileOptions): Promise<GraphQLResponseBody<TData>> {
  const { url, file, operation, filePath = 'variables.file', headers = {}, onProgress, signal } = options;
  const fileName = options.fileName ?? ('name' in file && typeof file.name === 'string' ? file.name : 'upload');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const body = new FormData();
    body.append('operations', JSON.stringify(withNullAt(operation, filePath)));
    body.append('map', JSON.stringify({ 0: [filePath] }));
    body.append('0', file, fileName);

    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('apollo-require-preflight', 'true');
    xhr.setRequestHeader('Accept', 'application/graphql-response+json, application/json');

    let lastPercent = -1;
    const progress = (percent: number) => {
      if (percent > lastPercent) {
        lastPercent = percent;
        onProgress?.(percent);
      }
    };
    xhr.upload.onprogress = (event) => {
      // Hold 100 back until the whole body is sent.
      if (event.lengthComputable && event.total > 0) progress(Math.min(99, Math.floor((event.loaded / event.total) * 100)));
    };
    xhr.upload.onload = () => progress(100);

    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);

    xhr.onabort = () => {
      settle();
      reject(signal ? abortReason(signal) : new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.onerror = () => {
      settle();
      reject(new UploadError('The network connection was lost during the upload.', 0, []));
    };
    xhr.onload = () => {
      settle();
      const parsed = parseBody<TData>(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && parsed) {
        progress(100);
        resolve(parsed);
        return;
      }
      const errors = parsed?.errors ?? [];
      const retryAfter = Number(xhr.getResponseHeader('Retry-After'));
      reject(
        new UploadError(
          errors[0]?.message ?? `The server answered HTTP ${xhr.status}.`,
          xhr.status,
          errors,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        ),
      );
    };
    xhr.send(body);
  });
}

function parseBody<TData>(text: string): GraphQLResponseBody<TData> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && ('data' in value || 'errors' in value) ? (value as GraphQLResponseBody<TData>) : undefined;
  } catch {
    return undefined;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The upload was cancelled.', 'AbortError');
}

/** The operation with `null` at the file's object path, as the spec requires. */
function withNullAt(operation: UploadOperation, path: string): UploadOperation {
  const copy = structuredClone(operation) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = next && typeof next === 'object' ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = null;
  return copy as UploadOperation;
}
