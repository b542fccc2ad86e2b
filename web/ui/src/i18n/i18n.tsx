import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { en as sharedEn } from './messages.ts';

export type Locale = 'en' | 'ru';
export const locales: readonly Locale[] = ['en', 'ru'];
export type Catalogue = Record<string, string>;
export type Values = Record<string, string | number>;
/** A catalogue, or how to load it (a language not chosen yet stays out of the first paint). */
export type CatalogueSource = Catalogue | (() => Promise<Catalogue>);

const sharedSources: Record<Locale, CatalogueSource> = {
  en: sharedEn,
  ru: () => import('./messages.ru.ts').then((module) => module.ru),
};

/** The shared and the app's messages of a language, when both are at hand without loading. */
function messagesAtHand(locale: Locale, catalogues: Record<Locale, CatalogueSource>): Catalogue | null {
  const shared = sharedSources[locale];
  const app = catalogues[locale];
  return typeof shared === 'function' || typeof app === 'function' ? null : { ...shared, ...app };
}

async function loadMessages(locale: Locale, catalogues: Record<Locale, CatalogueSource>): Promise<Catalogue> {
  const [shared, app] = await Promise.all([sharedSources[locale], catalogues[locale]].map((source) => (typeof source === 'function' ? source() : source)));
  return { ...shared, ...app };
}

const storageKey = 'fabline.locale';

/** The language the person chose before, else the browser's first supported one, else English. */
export function detectLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(storageKey);
  if (saved === 'en' || saved === 'ru') return saved;
  for (const language of globalThis.navigator?.languages ?? []) {
    const base = language.slice(0, 2).toLowerCase();
    if (base === 'en' || base === 'ru') return base;
  }
  return 'en';
}

/** Fills `{name}` placeholders; a missing key shows itself, so a gap is visible rather than blank. */
export function format(template: string | undefined, key: string, values?: Values) {
  if (template === undefined) return key;
  return values ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : template;
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: string, values?: Values): string;
  money(amount: string | number, currency: string): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  dateTime(iso: string): string;
  bytes(value: number): string;
  duration(seconds: number): string;
}

const I18nContext = createContext<I18n | null>(null);

export interface I18nProviderProps {
  /** The app's own messages, per language (English at hand; others may load); they extend the shared catalogue. */
  catalogues: Record<Locale, CatalogueSource>;
  /** @default detectLocale() */
  initialLocale?: Locale;
  children: ReactNode;
}

/** Formatting and messages of one language; `messages` are the shared and the app's, merged. */
export function createI18n(locale: Locale, messages: Catalogue, setLocale: (locale: Locale) => void = () => {}): I18n {
  const numbers = new Map<string, Intl.NumberFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions) => {
    const key = JSON.stringify(options);
    let formatter = numbers.get(key);
    if (!formatter) {
      formatter = new Intl.NumberFormat(locale, options);
      numbers.set(key, formatter);
    }
    return formatter;
  };
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    setLocale,
    t: (key, values) => format(messages[key], key, values),
    money: (amount, currency) => numberFormat({ style: 'currency', currency }).format(Number(amount)),
    number: (value, options = { maximumFractionDigits: 2 }) => numberFormat(options).format(value),
    dateTime: (iso) => dates.format(new Date(iso)),
    bytes: (value) => {
      const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
      let unit = 0;
      let size = value;
      while (size >= 1024 && unit < units.length - 1) {
        size /= 1024;
        unit += 1;
      }
      return numberFormat({ style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit ? 1 : 0 }).format(size);
    },
    duration: (seconds) => {
      const hours = Math.floor(seconds / 3600);
      const minutes = Math.round((seconds % 3600) / 60);
      const h = numberFormat({ style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(hours);
      const m = numberFormat({ style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);
      return hours ? `${h} ${m}` : m;
    },
  };
}

export function I18nProvider({ catalogues, initialLocale, children }: I18nProviderProps) {
  const wanted = useRef(initialLocale ?? detectLocale());
  const loaded = useRef(new Map<Locale, Catalogue>());
  // English is always at hand: a language still loading shows English for that moment
  const [current, setCurrent] = useState(() => {
    const locale = messagesAtHand(wanted.current, catalogues) ? wanted.current : 'en';
    return { locale, messages: messagesAtHand(locale, catalogues) ?? {} };
  });
  const show = useCallback(
    (next: Locale) => {
      wanted.current = next;
      const messages = loaded.current.get(next) ?? messagesAtHand(next, catalogues);
      if (messages) {
        setCurrent({ locale: next, messages });
        return;
      }
      void loadMessages(next, catalogues).then((result) => {
        loaded.current.set(next, result);
        // a later choice wins over a slow load
        if (wanted.current === next) setCurrent({ locale: next, messages: result });
      });
    },
    [catalogues],
  );
  const setLocale = useCallback(
    (next: Locale) => {
      globalThis.localStorage?.setItem(storageKey, next);
      show(next);
    },
    [show],
  );
  useEffect(() => {
    if (wanted.current !== current.locale) show(wanted.current);
  }, [show, current.locale]);
  const { locale, messages } = current;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => createI18n(locale, messages, setLocale), [locale, messages, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an <I18nProvider> above it');
  return value;
}
