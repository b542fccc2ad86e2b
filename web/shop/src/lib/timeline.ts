// The order page's history: what the query returned plus what the subscription pushed. After a
// dropped connection graphql-ws subscribes again with the same `after`, so the server sends events
// the page already has: each change shows once, in the order it happened.
export interface StatusChange {
  __typename?: 'OrderStatusChange';
  id: string;
  previousStatus?: string | null;
  status: string;
  at: string;
}

export function mergeHistory<T extends StatusChange>(existing: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const change of existing) byId.set(change.id, change);
  for (const change of incoming) if (!byId.has(change.id)) byId.set(change.id, change);
  return [...byId.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The `after` to resume from: the newest change the page has seen. */
export function resumeAfter(history: readonly StatusChange[]): string | undefined {
  return history.length ? history[history.length - 1]?.id : undefined;
}
