// The cart: READY quotes the customer chose, kept in the browser until the order is placed.
import { useSession } from '@fabline/ui';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

export interface CartItem {
  quoteId: string;
  filename: string;
  material: string;
  materialName: string;
  quantity: number;
  price: { amount: string; currency: string };
}

interface CartApi {
  items: CartItem[];
  add(item: CartItem): void;
  remove(quoteId: string): void;
  clear(): void;
}

const CartContext = createContext<CartApi | null>(null);
const keyOf = (viewerId: string) => `fabline.cart.${viewerId}`;

function load(viewerId: string | undefined): CartItem[] {
  if (!viewerId) return [];
  try {
    return JSON.parse(globalThis.localStorage?.getItem(keyOf(viewerId)) ?? '[]') as CartItem[];
  } catch {
    return [];
  }
}

export function CartProvider({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const viewerId = session?.viewer.id;
  const [items, setItems] = useState<CartItem[]>(() => load(viewerId));
  useEffect(() => setItems(load(viewerId)), [viewerId]);
  const save = useCallback(
    (next: CartItem[]) => {
      if (viewerId) globalThis.localStorage?.setItem(keyOf(viewerId), JSON.stringify(next));
      setItems(next);
    },
    [viewerId],
  );
  const api = useMemo<CartApi>(
    () => ({
      items,
      add: (item) => save([...items.filter((i) => i.quoteId !== item.quoteId), item]),
      remove: (quoteId) => save(items.filter((i) => i.quoteId !== quoteId)),
      clear: () => save([]),
    }),
    [items, save],
  );
  return <CartContext.Provider value={api}>{children}</CartContext.Provider>;
}

export function useCart(): CartApi {
  const value = useContext(CartContext);
  if (!value) throw new Error('useCart needs a <CartProvider> above it');
  return value;
}
