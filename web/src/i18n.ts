// English, Simplified Chinese and Urdu. Numbers and dates use Intl with each
// locale's CLDR defaults; Urdu lays the interface out right to left.
import en from './i18n/en.json';
import ur from './i18n/ur.json';
import zh from './i18n/zh.json';
import type { Lang } from './state';

type Messages = typeof en;
// Checked by shape only against English: a language may give one plural form
// where English has two (Chinese), and falls back to English for a missing key.
const MESSAGES = { en, zh, ur } as Record<Lang, Record<string, unknown>>;
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

// A message is a string, or plural forms by CLDR category ("one", "other",
// ...) chosen with Intl.PluralRules on the variable `n` ("1 death", "2 deaths";
// Chinese has one form). Name tables (categories, precisions) are not messages.
type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Key = Exclude<keyof Messages, 'categories' | 'precisionNames' | 'areaNames' | 'topicNames'>;

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralForm(forms: Plural, n: number): string {
  let rules = pluralRules.get(locale());
  if (!rules) {
    rules = new Intl.PluralRules(locale());
    pluralRules.set(locale(), rules);
  }
  return forms[rules.select(n)] ?? forms.other;
}

function template(key: Key, n: unknown): string {
  const entry = (MESSAGES[lang][key] ?? en[key]) as string | Plural;
  return typeof entry === 'string' ? entry : pluralForm(entry, Number(n ?? 0));
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return template(key, vars.n).replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    return typeof v === 'number' ? num(v) : (v ?? '');
  });
}

// A message with elements in it ("Counted in the {source} record {record}"):
// the template's text between its variables, and each variable as given, so
// that a Latin name or a button sits in the sentence as an element of its own
// (a <bdi> keeps its order inside Urdu). Numbers are formatted as in t().
export function fillParts<T extends object>(text: string, vars: Record<string, string | number | T>): (string | T)[] {
  const out: (string | T)[] = [];
  const add = (x: string | T): void => {
    const last = out.length - 1;
    if (typeof x !== 'string') out.push(x);
    else if (x && last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + x;
    else if (x) out.push(x);
  };
  let at = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    add(text.slice(at, m.index));
    at = (m.index ?? 0) + m[0].length;
    const v = vars[m[1]];
    add(typeof v === 'number' ? num(v) : (v ?? ''));
  }
  add(text.slice(at));
  return out;
}

export function tParts<T extends object>(key: Key, vars: Record<string, string | number | T> = {}): (string | T)[] {
  return fillParts(template(key, vars.n), vars);
}

// A province's name in the language (the boundary dataset names areas in
// English only; districts keep those names).
export function areaNameIn(pcode: string, fallback: string): string {
  const own = MESSAGES[lang].areaNames as Record<string, string> | undefined;
  return own?.[pcode] ?? fallback;
}

function nameIn(table: 'categories' | 'precisionNames' | 'topicNames', key: string): string {
  const own = MESSAGES[lang][table] as Record<string, string> | undefined;
  return own?.[key] ?? (en[table] as Record<string, string>)[key] ?? key;
}

export function categoryName(c: string): string { return nameIn('categories', c); }
// "district only" for an event placed at its district's centre (issue 17 item 2).
export function precisionName(p: string): string { return nameIn('precisionNames', p); }
// A grievance topic's name (config/grievance_topics.txt's slugs).
export function topicName(slug: string): string { return nameIn('topicNames', slug); }

export const CATEGORIES = Object.keys(en.categories);

// Constructing an Intl formatter costs far more than formatting with one (the
// first view formats every month of the timeline and histogram: hundreds of
// constructions were half a second of main-thread time), so each locale and
// option set gets one formatter, made on first use.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function num(n: number, digits = 0): string {
  const key = `${locale()}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(n);
}

// A share as a percentage the way the language writes it ("84.3%"): the sign
// stays attached to its number inside Urdu text, where "84.3 %" would split.
export function pct(fraction: number, digits = 0): string {
  const key = `${locale()}|%${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(fraction);
}

function dateFormat(kind: 'date' | 'month' | 'year'): Intl.DateTimeFormat {
  const key = `${locale()}|${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date' ? { dateStyle: 'medium', timeZone: 'UTC' }
        : kind === 'month' ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
          : { year: 'numeric', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(locale(), options);
    dateFormats.set(key, f);
  }
  return f;
}

function parseIso(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function date(iso: string): string {
  return dateFormat('date').format(parseIso(iso));
}

export function month(iso: string): string {
  return dateFormat('month').format(parseIso(iso));
}

export function year(iso: string): string {
  return dateFormat('year').format(parseIso(iso));
}
