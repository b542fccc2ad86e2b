// Small helpers the CRM's pages share.
import { useI18n } from '@fabline/ui';
import { useEffect } from 'react';

/** The short number staff say out loud: the first 8 characters of the id, as the shop shows it. */
export const orderNumber = (id: string) => id.slice(0, 8).toUpperCase();

/** Sets the document title from a catalogue key. */
export function useTitle(key: string, values?: Record<string, string | number>) {
  const { t } = useI18n();
  const title = t(key, values);
  useEffect(() => {
    document.title = `${title} · Fabline CRM`;
  }, [title]);
}

/** Whether a person must check a model of the order before production (it is not watertight). */
export const needsReview = (order: { items: readonly { quote: { needsReview: boolean } }[] }) => order.items.some((item) => item.quote.needsReview);
