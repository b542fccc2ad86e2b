import { useMutation } from '@apollo/client/react';
import { Button, Card, ErrorMessage, useI18n } from '@fabline/ui';
import { PlaceOrderDocument } from '@fabline/ui/operations';
import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCart } from '../cart.tsx';

export default function CartPage() {
  const { t, money } = useI18n();
  const { items, remove, clear } = useCart();
  const navigate = useNavigate();
  const [place, { loading, error }] = useMutation(PlaceOrderDocument, {
    // the new order belongs at the top of "My orders": that list is read again on the next visit
    update: (cache) => {
      cache.evict({ fieldName: 'myOrders' });
      cache.gc();
    },
  });
  useEffect(() => {
    document.title = `${t('title.cart')} · Fabline`;
  }, [t]);
  const currency = items[0]?.price.currency ?? 'EUR';
  const total = items.reduce((sum, item) => sum + Number(item.price.amount), 0);
  const submit = async () => {
    const { data } = await place({ variables: { input: { items: items.map((item) => ({ quoteId: item.quoteId })) } } }).catch(() => ({ data: undefined }));
    if (!data) return;
    clear();
    navigate(`/orders/${data.placeOrder.id}`);
  };
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-semibold">{t('title.cart')}</h1>
      {items.length === 0 ? (
        <Card>
          <p className="mb-3">{t('cart.empty')}</p>
          <Link to="/" className="text-accent underline">
            {t('cart.startQuote')}
          </Link>
        </Card>
      ) : (
        <Card>
          <ul className="flex flex-col divide-y divide-border">
            {items.map((item) => (
              <li key={item.quoteId} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <span>{t('cart.item', { name: item.filename, material: item.materialName, quantity: item.quantity })}</span>
                <span className="ml-auto text-lg font-semibold tabular-nums">{money(item.price.amount, item.price.currency)}</span>
                <Button variant="ghost" onClick={() => remove(item.quoteId)} aria-label={t('cart.remove', { name: `${item.filename} ${item.materialName}` })}>
                  ×
                </Button>
              </li>
            ))}
          </ul>
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-border pt-4">
            <span className="text-xl">
              {t('cart.total')}: <strong className="tabular-nums">{money(total, currency)}</strong>
            </span>
            <Button onClick={() => void submit()} disabled={loading}>
              {loading ? t('cart.placing') : t('cart.place')}
            </Button>
          </div>
          {error && (
            <div className="mt-3">
              <ErrorMessage error={error} />
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
