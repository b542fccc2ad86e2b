// The virtual list renders a screenful of rows, not all of them, and each rendered row still tells
// its place in the whole list; scrolling brings the rows further down.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualList } from '../src/components/virtual-list.tsx';

afterEach(cleanup);
const items = Array.from({ length: 2000 }, (_, i) => `job ${i + 1}`);

describe('VirtualList', () => {
  it('renders a screenful of 2,000 rows, each telling its position, and the rows further down once scrolled', () => {
    const { container } = render(
      <VirtualList items={items} rowHeight={100} itemKey={(item) => item} renderItem={(item) => <span>{item}</span>} label="Queued" overscan={2} />,
    );
    const list = screen.getByRole('list', { name: 'Queued' });
    const rows = within(list).getAllByRole('listitem');
    // 600 px of 100 px rows (jsdom has no layout: the fallback height), plus two below
    expect(rows).toHaveLength(8);
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('2000');
    expect(rows[0]?.getAttribute('aria-posinset')).toBe('1');
    const box = container.firstElementChild as HTMLElement;
    box.scrollTop = 150_000;
    fireEvent.scroll(box);
    const later = within(list).getAllByRole('listitem');
    expect(later.map((row) => row.textContent)).toContain('job 1501');
    expect(later.map((row) => row.textContent)).not.toContain('job 1');
    expect(later.length).toBeLessThan(12);
  });

  it('shows what to do when empty, and stays there to be found', () => {
    render(
      <VirtualList items={[]} rowHeight={100} itemKey={(item: string) => item} renderItem={(item) => item} label="Shipped" empty={<p>Nothing here.</p>} />,
    );
    expect(screen.getByRole('list', { name: 'Shipped' })).toBeTruthy();
    expect(screen.getByText('Nothing here.')).toBeTruthy();
  });
});
