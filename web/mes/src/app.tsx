import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { AppShell, type CatalogueSource, I18nProvider, type Locale, SessionProvider, useI18n, useSession } from '@fabline/ui';
import ids from '@fabline/ui/persisted-query-ids.json';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { en } from './messages.ts';
import { LoginPage, PRODUCTION_ROLES } from './pages/login-page.tsx';

// pages behind the login load on demand: the first paint needs only the login form
const BoardPage = lazy(() => import('./pages/board-page.tsx'));
const JobPage = lazy(() => import('./pages/job-page.tsx'));
const PrintersPage = lazy(() => import('./pages/printers-page.tsx'));
const PrinterPage = lazy(() => import('./pages/printer-page.tsx'));

// the board's pages of the production queue make one list in the cache (see board-page.tsx)
const typePolicies: TypePolicies = { Query: { fields: { productionQueue: relayStylePagination(['stage']) } } };
const catalogues: Record<Locale, CatalogueSource> = { en, ru: () => import('./messages.ru.ts').then((module) => module.ru) };
const nav = [
  { to: '/', label: 'nav.board' },
  { to: '/printers', label: 'nav.printers' },
];

function RequireStaff({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session || !PRODUCTION_ROLES.has(session.viewer.role)) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

function PageSkeleton() {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-4">
      <span className="sr-only">{t('common.loading')}</span>
      <div aria-hidden className="h-8 w-1/3 animate-pulse rounded-md bg-muted" />
      <div aria-hidden className="h-96 animate-pulse rounded-lg bg-muted" />
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold">{t('notFound')}</h1>
      <Link className="text-accent underline" to="/">
        {t('notFound.home')}
      </Link>
    </div>
  );
}

function Shell() {
  const { t } = useI18n();
  const { session } = useSession();
  const staff = !!session && PRODUCTION_ROLES.has(session.viewer.role);
  const guarded = (page: ReactNode) => (
    <RequireStaff>
      <Suspense fallback={<PageSkeleton />}>{page}</Suspense>
    </RequireStaff>
  );
  return (
    <AppShell brand={t('brand')} nav={staff ? nav : []} wide>
      <Routes>
        <Route path="/login" element={staff ? <Navigate to="/" replace /> : <LoginPage />} />
        <Route path="/" element={guarded(<BoardPage />)} />
        <Route path="/jobs/:id" element={guarded(<JobPage />)} />
        <Route path="/printers" element={guarded(<PrintersPage />)} />
        <Route path="/printers/:id" element={guarded(<PrinterPage />)} />
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
