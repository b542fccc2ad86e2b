// The one place that turns what the gateway (or the network) answered into a sentence a person
// understands. Everything else shows `describeError(error)` through the i18n catalogue.
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import type { Values } from '../i18n/i18n.tsx';

/** What the gateway said about a failed request, whatever carried it (Apollo link, XHR, socket). */
export interface GatewayError {
  code: string;
  message: string;
  /** From the `Retry-After` header of a RATE_LIMITED answer. */
  retryAfterSeconds?: number;
}

export interface ErrorSentence {
  key: string;
  values?: Values;
}

interface RawError {
  message?: string;
  extensions?: { code?: unknown; retryAfterSeconds?: unknown };
}

/** The first error of a GraphQL response body (`{ errors: [...] }`), as a GatewayError. */
export function gatewayErrorOf(body: { errors?: readonly RawError[] } | null | undefined, status?: number): GatewayError | null {
  const first = body?.errors?.[0];
  if (!first) return status === 413 ? { code: 'PAYLOAD_TOO_LARGE', message: '' } : null;
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'UNKNOWN';
  const retry = Number(first.extensions?.retryAfterSeconds);
  return { code, message: first.message ?? '', ...(Number.isFinite(retry) && retry >= 0 ? { retryAfterSeconds: retry } : {}) };
}

/** True for a failure to reach the gateway at all (offline, DNS, refused, cut). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof ServerError) return error.statusCode >= 502 && error.statusCode <= 504;
  return (
    error instanceof TypeError || (error instanceof Error && /network|failed to fetch|load failed/i.test(error.message) && !(error instanceof ServerParseError))
  );
}

export function toGatewayError(error: unknown): GatewayError {
  if (CombinedGraphQLErrors.is(error)) return gatewayErrorOf({ errors: error.errors as readonly RawError[] }) ?? { code: 'UNKNOWN', message: error.message };
  if (ServerError.is(error)) {
    try {
      const parsed = gatewayErrorOf(JSON.parse(error.bodyText), error.statusCode);
      if (parsed) return parsed;
    } catch {
      // not a GraphQL body: fall through to the status
    }
    if (error.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE', message: '' };
    if (error.statusCode === 401) return { code: 'UNAUTHENTICATED', message: '' };
    if (error.statusCode === 403) return { code: 'FORBIDDEN', message: '' };
    if (error.statusCode === 429) return { code: 'RATE_LIMITED', message: '' };
  }
  if (isNetworkError(error)) return { code: 'NETWORK', message: error instanceof Error ? error.message : '' };
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error as GatewayError;
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}

/** The catalogue key (and values) of the sentence for an error. */
export function describeError(error: unknown): ErrorSentence {
  const { code, message, retryAfterSeconds } = toGatewayError(error);
  switch (code) {
    case 'RATE_LIMITED':
      return retryAfterSeconds === undefined ? { key: 'error.RATE_LIMITED.unknown' } : { key: 'error.RATE_LIMITED', values: { seconds: retryAfterSeconds } };
    case 'BAD_USER_INPUT':
      // the gateway's message for a client's mistake is written for people: what was wrong and what is allowed
      return message ? { key: 'error.BAD_USER_INPUT', values: { message } } : { key: 'error.UNKNOWN' };
    case 'PAYLOAD_TOO_LARGE':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'COST_ESTIMATED_TOO_EXPENSIVE':
    case 'COST_LIMIT_EXCEEDED':
    case 'PERSISTED_QUERY_NOT_IN_LIST':
    case 'NETWORK':
      return { key: `error.${code}` };
    default:
      return { key: 'error.UNKNOWN' };
  }
}
