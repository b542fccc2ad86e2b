// A GraphQL multipart request (the spec apollo-upload-client and graphql-upload speak) over
// XMLHttpRequest, since fetch reports no upload progress. It carries the operation's persisted-query
// id, not its text, so it works where the gateway accepts only the manifest's operations.
import { type GatewayError, gatewayErrorOf } from '../apollo/errors.ts';

export interface XhrUploadOptions {
  /** @default '/graphql' */
  url?: string;
  operationName: string;
  persistedQueryId: string;
  /** The variables, with the file's variable set to null (the multipart map fills it). */
  variables: Record<string, unknown>;
  /** The variable the file goes into. @default 'file' */
  fileVariable?: string;
  file: File | Blob;
  token: string | null;
  /** 0–100, as bytes leave the browser. */
  onProgress?(percent: number): void;
  signal?: AbortSignal;
}

export class UploadFailed extends Error {
  constructor(readonly error: GatewayError) {
    super(error.message || error.code);
  }
}

export function xhrUpload<T>(options: XhrUploadOptions): Promise<T> {
  const fileVariable = options.fileVariable ?? 'file';
  const body = new FormData();
  body.append(
    'operations',
    JSON.stringify({
      operationName: options.operationName,
      variables: { ...options.variables, [fileVariable]: null },
      extensions: { persistedQuery: { version: 1, sha256Hash: options.persistedQueryId } },
    }),
  );
  body.append('map', JSON.stringify({ 0: [`variables.${fileVariable}`] }));
  body.append('0', options.file, options.file instanceof File ? options.file.name : 'upload');
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', options.url ?? '/graphql');
    // graphql-upload and Apollo's CSRF prevention want a non-simple request for multipart
    xhr.setRequestHeader('apollo-require-preflight', 'true');
    xhr.setRequestHeader('accept', 'application/graphql-response+json, application/json');
    if (options.token) xhr.setRequestHeader('authorization', `Bearer ${options.token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.upload.onload = () => options.onProgress?.(100);
    xhr.onload = () => {
      let parsed: { data?: T; errors?: { message?: string; extensions?: { code?: unknown } }[] } | null = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = null;
      }
      const error = gatewayErrorOf(parsed, xhr.status);
      if (error) {
        const retryAfter = Number(xhr.getResponseHeader('retry-after'));
        reject(new UploadFailed(Number.isFinite(retryAfter) && retryAfter > 0 ? { ...error, retryAfterSeconds: retryAfter } : error));
      } else if (parsed?.data) resolve(parsed.data);
      else reject(new UploadFailed({ code: xhr.status >= 500 ? 'UNKNOWN' : 'NETWORK', message: '' }));
    };
    xhr.onerror = () => reject(new UploadFailed({ code: 'NETWORK', message: '' }));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
