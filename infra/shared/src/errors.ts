import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  // traffic control at the gateway (Apollo Router's codes where it has one)
  | 'COST_ESTIMATED_TOO_EXPENSIVE'
  | 'RATE_LIMITED'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'INTROSPECTION_DISABLED'
  | 'MAX_DEPTH_LIMIT'
  | 'MAX_ALIASES_LIMIT'
  | 'MAX_ROOT_FIELDS_LIMIT'
  | 'MAX_DIRECTIVES_LIMIT'
  | 'MAX_TOKENS_LIMIT'
  | 'MAX_FIELDS_LIMIT'
  | 'BATCH_LIMIT';

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
  COST_ESTIMATED_TOO_EXPENSIVE: 400,
  RATE_LIMITED: 429,
  PERSISTED_QUERY_NOT_IN_LIST: 403,
  INTROSPECTION_DISABLED: 403,
  MAX_DEPTH_LIMIT: 400,
  MAX_ALIASES_LIMIT: 400,
  MAX_ROOT_FIELDS_LIMIT: 400,
  MAX_DIRECTIVES_LIMIT: 400,
  MAX_TOKENS_LIMIT: 400,
  MAX_FIELDS_LIMIT: 400,
  BATCH_LIMIT: 400,
};

/**
 * The one way code signals a client-facing error: a GraphQLError with a code. Raised in a
 * resolver it travels in a 200 response beside partial data (GraphQL over HTTP), which is
 * also what lets the gateway pass a subgraph's error through unchanged.
 */
export function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** For errors raised before execution (credentials, limits): the whole response gets the code's HTTP status. */
export function requestError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: HTTP_STATUS[code] }, ...extra } });
}

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in HTTP_STATUS;
