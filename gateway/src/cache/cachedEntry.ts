/** A cached response as Redis and the near cache hold it; stored as `storedAtMs\nmaxAge\nscope\nepoch\n<json>`. */
export interface CachedEntry {
  storedAt: number;
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
  /** The epoch the request that stored it looked up at: older than the last flush means dead. */
  epoch: number;
  json: string;
}

export const encodeEntry = (e: CachedEntry) => `${e.storedAt}\n${e.maxAge}\n${e.scope}\n${e.epoch}\n${e.json}`;

export function decodeEntry(raw: string): CachedEntry | null {
  const parts = raw.split('\n', 4);
  if (parts.length < 4) return null;
  const offset = parts.reduce((sum, part) => sum + part.length + 1, 0);
  const scope = parts[2] === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
  return { storedAt: Number(parts[0]), maxAge: Number(parts[1]), scope, epoch: Number(parts[3]), json: raw.slice(offset) };
}
