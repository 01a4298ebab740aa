// English, Simplified Chinese and Urdu. Numbers and dates use Intl with each
// locale's CLDR defaults; Urdu lays the interface out right to left.
import en from './i18n/en.json';
import ur from './i18n/ur.json';
import zh from './i18n/zh.json';
import type { Lang } from './state';

type Messages = typeof en;
const MESSAGES: Record<Lang, Messages> = { en, zh, ur };
const LOCALES: Record<Lang, string> = { en: 'en-GB', zh: 'zh-CN', ur: 'ur-PK' };
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', zh: '中文', ur: 'اردو' };

let lang: Lang = 'en';

export function currentLang(): Lang { return lang; }
export function isRtl(): boolean { return lang === 'ur'; }
export function locale(): string { return LOCALES[lang]; }

export function setLang(l: Lang): void {
  lang = l;
  document.documentElement.lang = l === 'zh' ? 'zh-Hans' : l;
  document.documentElement.dir = l === 'ur' ? 'rtl' : 'ltr';
}

type Key = Exclude<keyof Messages, 'categories'>;

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const template = (MESSAGES[lang][key] ?? en[key]) as string;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    return typeof v === 'number' ? num(v) : (v ?? '');
  });
}

export function categoryName(c: string): string {
  const cats = MESSAGES[lang].categories as Record<string, string>;
  return cats[c] ?? (en.categories as Record<string, string>)[c] ?? c;
}

export const CATEGORIES = Object.keys(en.categories);

export function num(n: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

function parseIso(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function date(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(parseIso(iso));
}

export function month(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', timeZone: 'UTC' })
    .format(parseIso(iso));
}

export function year(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', timeZone: 'UTC' }).format(parseIso(iso));
}
