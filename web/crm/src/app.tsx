// The staff CRM: managers review orders the moment they arrive and know their customers; admins run
// partner keys, dead letters and the response cache. Only staff (managers and admins) log in here.
import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { AppShell, type CatalogueSource, I18nProvider, type Locale, SessionProvider, useI18n, useSession } from '@fabline/ui';
import ids from '@fabline/ui/persisted-query-ids.json';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { en } from './messages.ts';

// every page loads on demand, with the operations it sends: the first paint needs only the shell
const LoginPage = lazy(() => import('./pages/login-page.tsx'));
const QueuePage = lazy(() => import('./pages/queue-page.tsx'));
const OrderPage = lazy(() => import('./pages/order-page.tsx'));
const OrdersPage = lazy(() => import('./pages/orders-page.tsx'));
const CustomersPage = lazy(() => import('./pages/customers-page.tsx'));
const CustomerPage = lazy(() => import('./pages/customer-page.tsx'));
const PartnersPage = lazy(() => import('./pages/partners-page.tsx'));
const DeadLettersPage = lazy(() => import('./pages/dead-letters-page.tsx'));
const CachePage = lazy(() => import('./pages/cache-page.tsx'));

const catalogues: Record<Locale, CatalogueSource> = { en, ru: () => import('./messages.ru.ts').then((module) => module.ru) };
const typePolicies: TypePolicies = {
  Query: { fields: { customers: relayStylePagination(['search']), orders: relayStylePagination(['status', 'needsReview', 'sort']) } },
  // a review has no id of its own: it is part of its order, and its fields come from several fragments
  Order: { fields: { review: { merge: true } } },
  EventQueue: { keyFields: ['name'] },
  DeadLetter: { keyFields: false },
};

/** Roles this app is for. */
export const staffRoles = new Set(['MANAGER', 'ADMIN']);

function RequireSession({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { session } = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (admin && session.viewer.role !== 'ADMIN') return <p role="alert">{t('admin.only')}</p>;
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
  const nav = !session
    ? []
    : [
        { to: '/', label: 'nav.queue' },
        { to: '/orders', label: 'nav.orders' },
        { to: '/customers', label: 'nav.customers' },
        ...(session.viewer.role === 'ADMIN'
          ? [
              { to: '/partners', label: 'nav.partners' },
              { to: '/dead-letters', label: 'nav.deadLetters' },
              { to: '/cache', label: 'nav.cache' },
            ]
          : []),
      ];
  const page = (element: ReactNode) => <Suspense fallback={<PageSkeleton />}>{element}</Suspense>;
  const guarded = (element: ReactNode, admin = false) => <RequireSession admin={admin}>{page(element)}</RequireSession>;
  return (
    <AppShell brand={t('brand')} nav={nav}>
      <Routes>
        <Route path="/login" element={session ? <Navigate to="/" replace /> : page(<LoginPage />)} />
        <Route path="/" element={guarded(<QueuePage />)} />
        <Route path="/orders" element={guarded(<OrdersPage />)} />
        <Route path="/orders/:id" element={guarded(<OrderPage />)} />
        <Route path="/customers" element={guarded(<CustomersPage />)} />
        <Route path="/customers/:id" element={guarded(<CustomerPage />)} />
        <Route path="/partners" element={guarded(<PartnersPage />, true)} />
        <Route path="/dead-letters" element={guarded(<DeadLettersPage />, true)} />
        <Route path="/cache" element={guarded(<CachePage />, true)} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </AppShell>
  );
}

export function App() {
  return (
    <I18nProvider catalogues={catalogues}>
      <SessionProvider persistedQueryIds={ids} typePolicies={typePolicies}>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
