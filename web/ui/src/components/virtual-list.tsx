// A list of fixed-height rows that renders only what its scroll box shows (plus a few rows either
// side), so a column of thousands of cards costs what a screenful costs. It is a list (`<ul>`) with
// an accessible name; each rendered row is an item that tells its position in the whole list.
import { type ReactNode, type UIEvent, useCallback, useLayoutEffect, useRef, useState } from 'react';

/** An empty list keeps some height, so it is still there to see (and to find). */
const EMPTY_HEIGHT = 40;

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Height of every row in px, gap included. */
  rowHeight: number;
  /** A stable key per item. */
  itemKey(item: T): string;
  renderItem(item: T, index: number): ReactNode;
  /** The list's accessible name. */
  label: string;
  /** Rows rendered beyond each edge of the visible part. @default 4 */
  overscan?: number;
  /** Classes of the scroll box (give it a height). */
  className?: string;
  /** Shown instead of the list when it has no items. */
  empty?: ReactNode;
}

export function VirtualList<T>({ items, rowHeight, itemKey, renderItem, label, overscan = 4, className = '', empty }: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    setHeight(element.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 600));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop), []);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as T;
    rows.push(
      <li
        key={itemKey(item)}
        aria-setsize={items.length}
        aria-posinset={index + 1}
        className="absolute inset-x-0"
        style={{ top: index * rowHeight, height: rowHeight }}
      >
        {renderItem(item, index)}
      </li>,
    );
  }
  return (
    <div ref={box} onScroll={onScroll} className={`relative overflow-y-auto ${className}`}>
      <ul aria-label={label} className="relative list-none" style={{ height: Math.max(items.length * rowHeight, EMPTY_HEIGHT) }}>
        {rows}
      </ul>
      {items.length === 0 && <div className="absolute inset-x-0 top-0">{empty}</div>}
    </div>
  );
}
