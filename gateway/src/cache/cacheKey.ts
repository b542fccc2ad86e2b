import { createHash } from 'node:crypto';

/** What makes two requests share a cached response. */
export interface CacheKeyParts {
  /** Hash of the supergraph: a new schema never serves responses shaped by the old one. */
  schemaHash: string;
  /** sha256 of the query text, which is also the persisted-query id. */
  queryHash: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` name the same variables. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Short hash of the supergraph SDL, part of every key. */
export const schemaVersion = (supergraphSdl: string) => sha256(supergraphSdl).slice(0, 16);

/**
 * The public key and, for a viewer, the private key of a request. A private entry is keyed by the
 * viewer id, so one customer's order is never served to another.
 */
export function cacheKeys(parts: CacheKeyParts, viewerId?: string | null) {
  const operation = sha256(`${parts.queryHash}\n${parts.operationName ?? ''}\n${stableStringify(parts.variables ?? {})}`);
  const base = `rc:${parts.schemaHash}:${operation}`;
  return { base, public: publicKey(base), private: viewerId ? privateKey(base, viewerId) : null };
}

/** The key of the shared entry for the operation whose keys share `base`. */
export const publicKey = (base: string) => `${base}:public`;

/** The key of `viewerId`'s private entry for the operation whose keys share `base`. */
export const privateKey = (base: string, viewerId: string) => `${base}:private:${sha256(viewerId).slice(0, 22)}`;
