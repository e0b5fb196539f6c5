// Every text of the application comes from the message catalogs in locales/LANG/NS.json
// through i18next (plural forms by the language's CLDR rules); dates, numbers and money
// through Intl in the chosen language. Azerbaijani is the default.
import i18next, { type TOptions } from 'i18next';
import { useEffect, useState } from 'preact/hooks';

export const LANGUAGES = ['az', 'en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'az';

// One lazily loaded file per language and namespace: the first screen carries one language.
const catalogs = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

async function loadLanguage(lng: Language): Promise<void> {
  const prefix = `./locales/${lng}/`;
  await Promise.all(
    Object.entries(catalogs)
      .filter(([path]) => path.startsWith(prefix))
      .map(async ([path, load]) => {
        const ns = path.slice(prefix.length, -'.json'.length);
        if (!i18next.hasResourceBundle(lng, ns)) i18next.addResourceBundle(lng, ns, (await load()).default);
      }),
  );
}

export function namespaces(): string[] {
  const set = new Set<string>();
  for (const path of Object.keys(catalogs)) set.add(path.split('/').pop()!.replace('.json', ''));
  return [...set];
}

export async function initI18n(lng: Language = DEFAULT_LANGUAGE): Promise<void> {
  await i18next.init({
    lng,
    fallbackLng: false,
    ns: namespaces(),
    defaultNS: 'common',
    resources: {},
    interpolation: { escapeValue: false }, // Preact escapes what it renders
    returnNull: false,
  });
  await loadLanguage(lng);
  document.documentElement.lang = lng;
}

export async function setLanguage(lng: Language): Promise<void> {
  if (i18next.language === lng) return;
  await loadLanguage(lng);
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
}

export function currentLanguage(): Language {
  return (i18next.language as Language) ?? DEFAULT_LANGUAGE;
}

export function t(key: string, options?: TOptions): string {
  return i18next.t(key, options) as string;
}

// Re-renders the component when the language changes; returns t.
export function useT(): typeof t {
  const [, setLng] = useState(i18next.language);
  useEffect(() => {
    const on = (l: string) => setLng(l);
    i18next.on('languageChanged', on);
    return () => i18next.off('languageChanged', on);
  }, []);
  return t;
}

// ---- formatting in the chosen language ----

export const locale = () => {
  const l = currentLanguage();
  return l === 'az' ? 'az-Latn-AZ' : l === 'ru' ? 'ru-RU' : 'en-GB';
};

// Chromium carries no Azerbaijani date patterns (it prints "2026 M12 1"): Azerbaijani
// dates are written as the country writes them, 01.12.2026 and 01.12.2026 15:36.
function azNumeric(d: Date, withTime: boolean, utc: boolean): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    timeZone: utc ? 'UTC' : undefined,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('day')}.${get('month')}.${get('year')}`;
  return withTime ? `${date} ${get('hour')}:${get('minute')}` : date;
}

// "2026-03-05" (a calendar date) is shown as that day wherever the browser is.
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const calendarDay = iso.length === 10;
  const d = new Date(calendarDay ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (currentLanguage() === 'az') return azNumeric(d, false, calendarDay);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: calendarDay ? 'UTC' : undefined }).format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (currentLanguage() === 'az') return azNumeric(d, true, false);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

// A month ("2026-03") as "March 2026": the names come from the catalogs, since Chromium
// has none for Azerbaijani.
export function formatMonth(yearMonth: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return yearMonth;
  return `${t(`common:months.m${Number(m[2])}`)} ${m[1]}`;
}

// The locale numbers are written in. Chromium says it knows Azerbaijani but prints its
// numbers in English (1,599.5); Azerbaijani writes 1.599,5, with German's symbols (CLDR).
let azNumbers: string | null = null;
function numberLocale(): string {
  const l = locale();
  if (currentLanguage() !== 'az') return l;
  azNumbers ??= new Intl.NumberFormat(l).format(1.5) === '1,5' ? l : 'de-DE';
  return azNumbers;
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat(numberLocale(), { maximumFractionDigits: digits }).format(n);
}

// Money in minor units (qəpik, cents) of an ISO 4217 currency.
export function formatMoney(minor: number, currency: string): string {
  const f = new Intl.NumberFormat(numberLocale(), { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

// "300", "300.50" or "300,5" in the currency's major unit, as minor units; null if not a
// plain positive amount with at most the currency's decimals (or not a currency).
export function toMinor(text: string, currency: string): number | null {
  const v = text.replace(/\s/g, '');
  const m = /^(\d{1,12})(?:[.,](\d+))?$/.exec(v);
  if (!m) return null;
  const digits = minorDigits(currency);
  if (digits === null) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return minor > 0 && Number.isSafeInteger(minor) ? minor : null;
}

// Minor units as the plain amount a form field shows for editing ("300.50").
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency) ?? 2;
  return digits ? (minor / 10 ** digits).toFixed(digits) : String(minor);
}

function minorDigits(currency: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return null;
  }
}

// Today in the browser's calendar, as the API writes dates (2026-03-05).
export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
