// The frame of every app: skip link, header (brand, navigation, language, theme, the person and
// "Log out"), the offline banner, and the page.
import { type ReactNode, useEffect, useState, useSyncExternalStore } from 'react';
import { NavLink } from 'react-router';
import { Button } from '../components/controls.tsx';
import { type Locale, locales, useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../session/session.tsx';

export interface NavItem {
  to: string;
  /** Catalogue key of the link's text. */
  label: string;
}

type Theme = 'light' | 'dark';
const themeKey = 'fabline.theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(themeKey);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function useOnline() {
  return useSyncExternalStore(
    (listener) => {
      globalThis.addEventListener('online', listener);
      globalThis.addEventListener('offline', listener);
      return () => {
        globalThis.removeEventListener('online', listener);
        globalThis.removeEventListener('offline', listener);
      };
    },
    () => globalThis.navigator?.onLine ?? true,
  );
}

/** `wide`: the page uses the whole window (a staff board) instead of a reading width. */
export function AppShell({ brand, nav, wide = false, children }: { brand: string; nav: NavItem[]; wide?: boolean; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const { session, logOut, offline } = useSession();
  const online = useOnline();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    globalThis.localStorage?.setItem(themeKey, next);
    setTheme(next);
  };
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        {t('shell.skip')}
      </a>
      <header className="border-b border-border bg-surface">
        <div className={`mx-auto flex ${wide ? 'max-w-none' : 'max-w-6xl'} flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3`}>
          <span className="text-lg font-semibold">{brand}</span>
          <nav aria-label={t('shell.nav')} className="flex flex-wrap gap-1">
            {nav.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                end
                className={({ isActive }) => `rounded-md px-3 py-1.5 text-sm ${isActive ? 'bg-muted font-semibold' : 'hover:bg-muted'}`}
              >
                {t(item.label)}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            {/* two toggle buttons: the language switch is in the first paint, so it stays plain HTML */}
            <fieldset className="flex rounded-md border border-border">
              <legend className="sr-only">{t('shell.language')}</legend>
              {locales.map((code) => (
                <button
                  key={code}
                  type="button"
                  lang={code}
                  aria-pressed={locale === code}
                  data-state={locale === code ? 'on' : 'off'}
                  onClick={() => setLocale(code as Locale)}
                  className="px-2 py-1 text-sm aria-pressed:bg-muted aria-pressed:font-semibold"
                >
                  {t(`lang.${code}`)}
                </button>
              ))}
            </fieldset>
            <Button variant="ghost" aria-pressed={theme === 'dark'} onClick={toggleTheme}>
              {t('shell.theme.dark')}
            </Button>
            {session && (
              <>
                <span className="text-sm text-fg-muted">{t('shell.signedInAs', { name: session.viewer.name })}</span>
                <Button variant="secondary" onClick={() => void logOut()}>
                  {t('shell.logOut')}
                </Button>
              </>
            )}
          </div>
        </div>
      </header>
      {(offline || !online) && (
        <div role="alert" className="bg-warning px-4 py-2 text-center text-sm text-bg">
          {t('shell.offline')}
        </div>
      )}
      <main id="main" className={`mx-auto ${wide ? 'max-w-none' : 'max-w-6xl'} px-4 py-6`}>
        {children}
      </main>
    </div>
  );
}
