import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { AppShell, type CatalogueSource, I18nProvider, type Locale, SessionProvider, useI18n, useSession } from '@fabline/ui';
import ids from '@fabline/ui/persisted-query-ids.json';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { CartProvider, useCart } from './cart.tsx';
import { en } from './messages.ts';

// every page loads on demand, with the operations it sends: the first paint needs only the shell
const LoginPage = lazy(() => import('./pages/login-page.tsx'));
const SignUpPage = lazy(() => import('./pages/signup-page.tsx'));
const QuotePage = lazy(() => import('./pages/quote-page.tsx'));
const CartPage = lazy(() => import('./pages/cart-page.tsx'));
const OrdersPage = lazy(() => import('./pages/orders-page.tsx'));
const OrderPage = lazy(() => import('./pages/order-page.tsx'));

const catalogues: Record<Locale, CatalogueSource> = { en, ru: () => import('./messages.ru.ts').then((module) => module.ru) };
const typePolicies: TypePolicies = { Query: { fields: { myOrders: relayStylePagination() } } };

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-4">
      <span className="sr-only">{t('common.loading')}</span>
      <div aria-hidden className="h-8 w-1/3 animate-pulse rounded-md bg-muted" />
      <div aria-hidden className="h-48 animate-pulse rounded-lg bg-muted" />
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold">{t('notFound.title')}</h1>
      <Link className="text-accent underline" to="/">
        {t('notFound.home')}
      </Link>
    </div>
  );
}

function Shell() {
  const { t } = useI18n();
  const { session } = useSession();
  const { items } = useCart();
  const nav = session
    ? [
        { to: '/', label: 'nav.quote' },
        { to: '/cart', label: t('nav.cart', { count: items.length }) },
        { to: '/orders', label: 'nav.orders' },
      ]
    : [];
  const guarded = (page: ReactNode) => (
    <RequireSession>
      <Suspense fallback={<PageSkeleton />}>{page}</Suspense>
    </RequireSession>
  );
  return (
    <AppShell brand={t('brand')} nav={nav}>
      <Routes>
        <Route
          path="/login"
          element={
            session ? (
              <Navigate to="/" replace />
            ) : (
              <Suspense fallback={<PageSkeleton />}>
                <LoginPage />
              </Suspense>
            )
          }
        />
        <Route
          path="/signup"
          element={
            session ? (
              <Navigate to="/" replace />
            ) : (
              <Suspense fallback={<PageSkeleton />}>
                <SignUpPage />
              </Suspense>
            )
          }
        />
        <Route path="/" element={guarded(<QuotePage />)} />
        <Route path="/cart" element={guarded(<CartPage />)} />
        <Route path="/orders" element={guarded(<OrdersPage />)} />
        <Route path="/orders/:id" element={guarded(<OrderPage />)} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </AppShell>
  );
}

export function App() {
  return (
    <I18nProvider catalogues={catalogues}>
      <SessionProvider persistedQueryIds={ids} typePolicies={typePolicies}>
        <CartProvider>
          <BrowserRouter>
            <Shell />
          </BrowserRouter>
        </CartProvider>
      </SessionProvider>
    </I18nProvider>
  );
}
