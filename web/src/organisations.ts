// Armed organisations (issue 17 item 12, docs/organisations.md): the ranking
// and one organisation's page from GET /api/v1/armed-organisations[/{id}].
// Only organisations: the server never lists a state, an ethnic or communal
// group, a party or a person, and this screen shows the other sides of an
// organisation's incidents by kind only.
import { get } from './api';
import { h, s } from './dom';
import { categoryName, date, num, t } from './i18n';
import type { Lang } from './state';

interface Names { en: string; ur: string; zh: string }
interface OrgItem {
  id: string; name: string; names: Names; parent: string; incidents: number;
  as_perpetrator: number; as_party: number; deaths: number; first: string | null; last: string | null;
}
interface ListResponse {
  dataset: string; incidents: number; items: OrgItem[]; unclassified_names: string[]; attribution: string;
}
interface Tally { key: string; incidents: number; deaths: number; name?: string }
interface PageResponse {
  dataset: string; attribution: string;
  organisation: { id: string; name: string; names: Names; parent: string; factions: { id: string; name: string }[] };
  totals: {
    incidents: number; as_perpetrator: number; as_party: number; deaths_best: number;
    deaths_low: number; deaths_high: number; first: string | null; last: string | null;
  };
  by_year: Tally[]; provinces: Tally[]; districts: Tally[]; categories: Tally[]; target_types: Tally[];
  counterparts: Tally[]; counterpart_kinds: Tally[];
  latest: { id: string; date: string; headline: string; location: string; admin2: string; killed: number | null }[];
  assessments: { id: string; title: string; marking: string; modified: string }[];
}

export interface OrganisationContext {
  lang: Lang;
  selected: string | null;
  select: (id: string | null) => void; // records the choice (the URL) and renders again
  areaName: (pcode: string) => string;
  // Colours the districts by the organisation's incidents (empty: clears).
  showDistricts: (incidents: Map<string, number>) => Promise<void>;
  openIncident: (id: string) => void;
  showIncidents: (id: string) => void; // the incidents view, filtered to the organisation
  showError: (err: unknown) => void;
}

function nameOf(names: Names, lang: Lang): string {
  return (lang === 'ur' ? names.ur : lang === 'zh' ? names.zh : '') || names.en;
}

// Incidents per year as bars, every year from the first to the last.
function yearBars(rows: Tally[]): SVGElement {
  const w = 300, hgt = 90, pad = 20;
  const max = Math.max(1, ...rows.map((r) => r.incidents));
  const bw = (w - 2) / Math.max(1, rows.length);
  const svg = s('svg', { viewBox: `0 0 ${w} ${hgt + pad}`, class: 'org-years', id: 'org-years', role: 'img',
    'aria-label': t('orgPerYear'), dir: 'ltr' });
  rows.forEach((r, i) => {
    const bh = (r.incidents / max) * hgt;
    const bar = s('rect', { x: 1 + i * bw, y: hgt - bh, width: Math.max(1, bw - 1), height: bh, class: 'org-bar' });
    bar.append(s('title', {}, `${r.key}: ${t('incidentsCount', { n: r.incidents })}, ${t('deathsCount', { n: r.deaths })}`));
    svg.append(bar);
  });
  if (rows.length > 0) {
    // Years read left to right in every language (the chart's time axis does).
    svg.append(s('text', { x: 1, y: hgt + pad - 5, class: 'axis', direction: 'ltr' }, rows[0].key),
      s('text', { x: w - 1, y: hgt + pad - 5, class: 'axis', 'text-anchor': 'end', direction: 'ltr' }, rows[rows.length - 1].key));
  }
  return svg;
}

function tallyTable(id: string, rows: Tally[], label: (r: Tally) => string): HTMLElement {
  return h('table', { class: 'org-tally', id },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col', class: 'num' }, t('incidents')),
      h('th', { scope: 'col', class: 'num' }, t('deaths')))),
    h('tbody', {}, ...rows.map((r) => h('tr', {},
      h('th', { scope: 'row' }, h('bdi', {}, label(r))),
      h('td', { class: 'num' }, num(r.incidents)), h('td', { class: 'num' }, num(r.deaths))))));
}

async function renderPage(panel: HTMLElement, ctx: OrganisationContext, list: ListResponse): Promise<void> {
  const id = ctx.selected ?? '';
  const page = await get<PageResponse>(`/api/v1/armed-organisations/${encodeURIComponent(id)}`);
  const o = page.organisation;
  const tot = page.totals;
  const byId = new Map(list.items.map((i) => [i.id, i]));
  const orgName = (oid: string, fallback: string) => {
    const item = byId.get(oid);
    return item ? nameOf(item.names, ctx.lang) : fallback;
  };
  const back = h('button', { type: 'button', class: 'link', id: 'org-back' }, t('orgBack'));
  back.addEventListener('click', () => ctx.select(null));
  const onMap = h('button', { type: 'button', id: 'org-incidents' }, t('orgShowIncidents'));
  onMap.addEventListener('click', () => ctx.showIncidents(o.id));
  const districts = new Map(page.districts.filter((d) => d.key).map((d) => [d.key, d.incidents]));
  await ctx.showDistricts(districts);
  panel.append(back,
    h('h2', { id: 'org-name' }, h('bdi', {}, nameOf(o.names, ctx.lang))),
    o.parent ? h('p', { class: 'sub' }, t('orgFactionOf', { name: orgName(o.parent, o.parent) })) : '',
    h('p', { id: 'org-totals', 'data-incidents': String(tot.incidents) },
      `${t('incidentsCount', { n: tot.incidents })} · ${t('deathsCount', { n: tot.deaths_best })}`,
      tot.first && tot.last ? ` · ${date(tot.first)} – ${date(tot.last)}` : ''),
    h('p', { class: 'sub' }, t('orgRoles', { p: tot.as_perpetrator, s: tot.as_party })),
    onMap,
    h('h3', {}, t('orgPerYear')), yearBars(page.by_year),
    h('h3', {}, t('orgDistricts')),
    tallyTable('org-districts', page.districts.slice(0, 10),
      (r) => (r.key ? ctx.areaName(r.key) || r.name || r.key : t('orgNotKnown'))),
    h('h3', {}, t('orgCategories')),
    tallyTable('org-categories', page.categories, (r) => categoryName(r.key)),
    h('h3', {}, t('orgOthers')),
    tallyTable('org-others', [...page.counterparts.map((c) => ({ ...c, name: orgName(c.key, c.name ?? c.key) })),
      ...page.counterpart_kinds.map((k) => ({ ...k, name: kindName(k.key) }))], (r) => r.name ?? r.key));
  if (o.factions.length > 0) {
    panel.append(h('h3', {}, t('orgFactions')), h('ul', { class: 'org-factions' },
      ...o.factions.map((f) => {
        const b = h('button', { type: 'button', class: 'link' }, h('bdi', {}, orgName(f.id, f.name)));
        b.addEventListener('click', () => ctx.select(f.id));
        return h('li', {}, b);
      })));
  }
  panel.append(h('h3', {}, t('orgLatest')), h('ol', { class: 'org-latest', id: 'org-latest' },
    ...page.latest.map((i) => {
      const b = h('button', { type: 'button', class: 'link' },
        `${date(i.date)} · `, h('bdi', {}, i.location || ctx.areaName(i.admin2) || i.headline),
        i.killed === null ? '' : ` · ${t('deathsCount', { n: i.killed })}`);
      b.addEventListener('click', () => ctx.openIncident(i.id));
      return h('li', {}, b);
    })));
  panel.append(h('h3', {}, t('orgAssessments')), page.assessments.length === 0
    ? h('p', { class: 'sub', id: 'org-no-assessments' }, t('orgNoAssessments'))
    : h('ul', { class: 'org-assessments', id: 'org-assessments' },
      ...page.assessments.map((a) => h('li', {}, h('span', { class: 'marking' }, a.marking), ' ', h('bdi', {}, a.title)))));
  panel.append(h('p', { class: 'attribution sub' }, page.attribution));
}

function kindName(kind: string): string {
  switch (kind) {
    case 'state': return t('kindState');
    case 'civilians': return t('kindCivilians');
    case 'ethnic-or-communal': return t('kindCommunal');
    case 'political-party': return t('kindParty');
    case 'person': return t('kindPerson');
    default: return t('kindUnidentified');
  }
}

export async function renderOrganisations(panel: HTMLElement, ctx: OrganisationContext): Promise<void> {
  const list = await get<ListResponse>('/api/v1/armed-organisations');
  if (ctx.selected && list.items.some((i) => i.id === ctx.selected)) {
    await renderPage(panel, ctx, list);
    return;
  }
  await ctx.showDistricts(new Map());
  const search = h('input', { type: 'search', id: 'org-search', 'aria-label': t('orgSearch'), placeholder: t('orgSearch') });
  const rows = h('ol', { class: 'org-list', id: 'org-list' });
  const draw = (items: OrgItem[]) => {
    const max = Math.max(1, ...items.map((i) => i.incidents));
    rows.replaceChildren(...items.map((i) => {
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${Math.max(2, (100 * i.incidents) / max)}%`;
      const b = h('button', { type: 'button', class: 'org-item', 'data-id': i.id, 'data-incidents': String(i.incidents) },
        h('span', { class: 'what' }, h('bdi', {}, nameOf(i.names, ctx.lang))),
        h('span', { class: 'expo-bar', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'num' }, `${t('incidentsCount', { n: i.incidents })} · ${t('deathsCount', { n: i.deaths })}`));
      b.addEventListener('click', () => ctx.select(i.id));
      return h('li', {}, b);
    }));
    if (items.length === 0) rows.append(h('li', { class: 'sub', id: 'org-none' }, t('orgNone')));
  };
  // The server matches any name in English, Urdu or Chinese (its search key
  // folds letter variants and traditional characters); a pause ends a query.
  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const q = search.value.trim();
      if (!q) { draw(list.items); return; }
      get<ListResponse>('/api/v1/armed-organisations', { q })
        .then((found) => { if (search.value.trim() === q) draw(found.items); })
        .catch(ctx.showError);
    }, 250);
  });
  draw(list.items);
  panel.append(h('h2', {}, t('viewOrganisations')), h('p', { class: 'sub', id: 'org-intro' }, t('orgIntro')), search, rows);
  if (list.unclassified_names.length > 0) {
    panel.append(h('p', { class: 'sub' }, t('orgUnclassified', { n: list.unclassified_names.length })));
  }
  panel.append(h('p', { class: 'attribution sub' }, list.attribution));
}

// An organisation's name in the language, for the incidents view's filter
// (the ranking is fetched once per page load; a failed fetch is forgotten, so
// the next call asks again rather than showing the bare id for the page's life).
let ranking: Promise<ListResponse> | null = null;
let received: ListResponse | null = null;
export async function organisationName(id: string, lang: Lang): Promise<string | null> {
  const pending = (ranking ??= get<ListResponse>('/api/v1/armed-organisations'));
  try {
    received = await pending;
    return organisationNameNow(id, lang);
  } catch (e) {
    if (ranking === pending) ranking = null;
    throw e;
  }
}

// The name at once when the ranking has arrived already (a view drawn again
// shows the name, not the bare id, while the promise settles), else null.
export function organisationNameNow(id: string, lang: Lang): string | null {
  const item = received?.items.find((i) => i.id === id);
  return item ? nameOf(item.names, lang) : null;
}
