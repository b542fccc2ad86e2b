// The order page's timeline after a dropped connection: graphql-ws subscribes again with the same
// `after`, so the server sends again what the page already has; each change shows once, in order.
import { describe, expect, it } from 'vitest';
import { mergeHistory, resumeAfter } from '../src/lib/timeline.ts';

const change = (id: string, status: string, minute: number) => ({
  id,
  status,
  previousStatus: null,
  at: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

describe('the timeline resume', () => {
  it('resumes after the newest change the page has', () => {
    expect(resumeAfter([change('a', 'PLACED', 0), change('b', 'APPROVED', 1)])).toBe('b');
    expect(resumeAfter([])).toBeUndefined();
  });

  it('shows every change missed while disconnected once, in the order they happened', () => {
    const seen = [change('a', 'PLACED', 0), change('b', 'APPROVED', 1)];
    // the replay after the reconnect repeats b, then brings what was missed, one of them twice
    const replayed = [change('b', 'APPROVED', 1), change('c', 'IN_PRODUCTION', 2), change('d', 'QUALITY_CHECK', 3), change('c', 'IN_PRODUCTION', 2)];
    let history = seen;
    for (const event of replayed) history = mergeHistory(history, [event]);
    expect(history.map((h) => h.status)).toEqual(['PLACED', 'APPROVED', 'IN_PRODUCTION', 'QUALITY_CHECK']);
  });

  it('puts a late-arriving older change in its place', () => {
    const history = mergeHistory([change('a', 'PLACED', 0), change('c', 'IN_PRODUCTION', 2)], [change('b', 'APPROVED', 1)]);
    expect(history.map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });
});
