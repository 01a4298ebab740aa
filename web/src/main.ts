// Corridor's web application: sign-in, then one page with a side panel
// (incidents, risk, sites, report) beside an offline map. The URL holds the
// whole view state (state.ts); the API does every computation (api.ts).
import {
  ApiError, forgetReads, get, getOrJob, getText, post, setCsrf, setUnauthenticatedHandler, whoAmI, type Area, type Attribution, type Incident, type Me,
  type MonthRow, type PlacesResponse, type TimelineResponse,
} from './api';
import { histogram, type ReliabilityBin, reliability, type ReliabilitySeries, timeline } from './charts';
import { categoryColor, FORECAST_RAMP, HEAT_RAMP, RISK_RAMP, rampColor, VULN_RAMP } from './colors';
import { clear, h, s as svgNode } from './dom';
import { areaNameIn, CATEGORIES, categoryName, date, LANGUAGE_NAMES, locale, month, num, pct, precisionName, setLang, t, topicName } from './i18n';
import { IncidentMap } from './map';
import { renderAdmin } from './admin';
import { alsoReported, renderLinks } from './links';
import { organisationName, organisationNameNow, renderOrganisations } from './organisations';
import { decodeState, encodeState, filterParams, LANGS, TABLE_ROWS, type Lang, type Sort, type View, VIEWS, type ViewState } from './state';

const root = document.getElementById('app')!;
let state: ViewState = decodeState(location.search);
let me: Me | null = null;
let map: IncidentMap | null = null;
let areas: Area[] = [];
let dataThrough: string | null = null;
let attributions: string[] = [];
let fullHistogram: MonthRow[] = [];
let flash: { kind: 'info' | 'error'; text: string } | null = null;
let baseReady: Promise<string[]> = Promise.resolve([]);
let mapClick: ((lat: number, lon: number) => void) | null = null;

setLang(state.lang);
setUnauthenticatedHandler(() => {
  if (!me) return;
  me = null;
  setCsrf(null);
  flash = { kind: 'info', text: t('sessionExpired') };
  renderSignIn();
});

// ---- URL state

function commit(replace = true): void {
  const url = location.pathname + encodeState(state);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

window.addEventListener('popstate', () => {
  const next = decodeState(location.search);
  const langChanged = next.lang !== state.lang;
  state = next;
  if (langChanged) setLang(state.lang);
  if (map) map.flyTo(state.lat, state.lon, state.zoom);
  if (me) renderApp();
});

// ---- sign-in

function languagePicker(): HTMLElement {
  const select = h('select', { id: 'lang', 'aria-label': t('language') },
    ...LANGS.map((l) => h('option', { value: l, selected: l === state.lang, lang: l }, LANGUAGE_NAMES[l])));
  select.addEventListener('change', () => {
    state.lang = select.value as Lang;
    setLang(state.lang);
    commit();
    if (me) renderApp(); else renderSignIn();
    document.getElementById('lang')?.focus();
  });
  return h('label', { class: 'lang' }, h('span', { class: 'sr-only' }, t('language')), select);
}

function renderSignIn(): void {
  map?.map.remove();
  map = null;
  clear(root);
  const msg = flash;
  flash = null;
  const status = h('p', { class: `status ${msg?.kind ?? ''}`, role: 'alert', id: 'signin-status' }, msg?.text ?? '');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = h('input', {
    id: 'totp', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}',
    maxlength: 6, 'aria-describedby': 'totp-help', dir: 'ltr',
  });
  const form = h('form', { class: 'signin-form', novalidate: true },
    h('h1', {}, t('app')),
    h('p', { class: 'tagline' }, t('tagline')),
    h('label', { for: 'username' }, t('username')), user,
    h('label', { for: 'password' }, t('password')), pass,
    h('label', { for: 'totp' }, t('totp')), totp,
    h('p', { id: 'totp-help', class: 'help' }, t('totpHelp')),
    h('button', { type: 'submit', class: 'primary' }, t('signIn')),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.textContent = '';
    try {
      const res = await post<Me>('/api/v1/auth/login',
        { username: user.value.trim(), password: pass.value, totp: totp.value.trim() }, true);
      setCsrf(res.csrf_token ?? null);
      me = res;
      await startApp();
    } catch (err) {
      status.className = 'status error';
      status.textContent = err instanceof ApiError && err.status === 429 ? t('tooMany') : t('signInFailed');
    }
  });
  root.append(h('div', { class: 'signin' },
    h('div', { class: 'signin-top' }, languagePicker()),
    form,
    h('p', { class: 'signin-foot' }, t('disputed'))));
  user.focus();
}

// ---- the application

// The area list and the store's monthly totals: the panel's filters, histogram
// and "data through" need them, the map does not. They are asked for with the
// map's first requests but never hold the map back (the first meaningful
// render is the map with its boundaries and incidents, issue 5).
let firstData: Promise<void> | null = null;
// Incidents per category in everything the user may see: the filter and the
// legend offer only the categories the data has (issue 17 item 4).
let categoryCounts = new Map<string, number>();
let firstDataReady = false;

function loadFirstData(): Promise<void> {
  if (!firstData) {
    firstData = Promise.all([
      get<{ items: Area[] }>('/api/v1/areas'),
      get<TimelineResponse>('/api/v1/stats/timeline'),
      get<{ key: string; count: number }[]>('/api/v1/stats', { by: 'category' }),
    ]).then(([areaList, tl, byCategory]) => {
      areas = areaList.items.filter((a) => a.level > 0);
      dataThrough = tl.data_through;
      fullHistogram = tl.months;
      categoryCounts = new Map(byCategory.map((r) => [r.key, r.count]));
      firstDataReady = true;
    });
    firstData.catch(() => { firstData = null; }); // the next view asks again
  }
  return firstData;
}

async function startApp(): Promise<void> {
  // Just signed in: what was asked for before (refused, or still on its way
  // to a refusal) is asked for again in the new session.
  firstData = null;
  firstDataReady = false;
  void loadFirstData().catch(() => {});
  renderApp();
}

function renderApp(): void {
  if (!me) return;
  // Only the screens a role can use (a link to another one opens the first that is).
  if (!viewAllowed(state.view)) state.view = VIEWS.find(viewAllowed) ?? 'incidents';
  clear(root);
  const nav = h('nav', { class: 'tabs', 'aria-label': t('app') },
    ...VIEWS.filter(viewAllowed).map((v) => {
      const label = t(({ incidents: 'viewIncidents', risk: 'viewRisk', sites: 'viewSites', organisations: 'viewOrganisations', route: 'viewRoute', report: 'viewReport', links: 'viewLinks', committee: 'viewCommittee', admin: 'viewAdmin' } as const)[v]);
      const b = h('button', {
        type: 'button', class: 'tab', id: `tab-${v}`, 'aria-current': state.view === v ? 'page' : undefined,
      }, label);
      b.addEventListener('click', () => {
        state.view = v;
        commit(false);
        renderApp();
        document.getElementById(`tab-${v}`)?.focus();
      });
      return b;
    }));
  const signOut = h('button', { type: 'button', class: 'link', id: 'signout' }, t('signOut'));
  signOut.addEventListener('click', async () => {
    try { await post('/api/v1/auth/logout', {}, true); } catch { /* already gone */ }
    me = null;
    setCsrf(null);
    flash = { kind: 'info', text: t('signedOut') };
    renderSignIn();
  });
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'skip', href: '#map' }, t('skip')),
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), t('app')),
    nav,
    h('div', { class: 'who' },
      languagePicker(),
      h('span', { class: 'user', id: 'whoami' }, t('signedInAs', { user: me.username, org: me.organisation })),
      signOut));
  const panel = h('aside', { class: 'panel', id: 'panel', 'aria-live': 'polite' });
  const mapEl = map ? map.map.getContainer() : h('div', { id: 'map', dir: 'ltr', tabindex: '0', role: 'region', 'aria-label': 'Map' });
  const legend = h('div', { class: 'legend', id: 'legend' });
  const note = h('p', { class: 'map-note', id: 'disputed' }, t('disputed'));
  const attrib = h('p', { class: 'map-attrib', id: 'attribution' }, attributions.join(' · '));
  const mapWrap = h('section', { class: 'mapwrap' }, mapEl, placeSearch(), legend, h('div', { class: 'map-foot' }, note, attrib));
  root.append(header, h('main', { class: 'layout' }, panel, mapWrap));

  // One map for the session: Leaflet keeps its container, moved into each new layout.
  if (map) {
    map.invalidate();
    map.drawPlaces();  // the labels in the language now chosen
    void refreshMap();
    void renderView(panel, legend).catch(showError);
    return;
  }
  map = new IncidentMap(mapEl, state.lat, state.lon, state.zoom, {
    onMove(lat, lon, z) {
      state.lat = lat; state.lon = lon; state.zoom = z;
      commit();
      map?.scheduleRefresh(() => void refreshMap());
    },
    onIncident(id) { void openIncident(id); },
  });
  map.map.on('click', (e: import('leaflet').LeafletMouseEvent) => mapClick?.(e.latlng.lat, e.latlng.lng));
  baseReady = map.loadBase();
  void baseReady.then((a) => {
    attributions = Array.from(new Set([...a, ...attributions])).filter(Boolean);
    attrib.textContent = attributions.join(' · ');
  }).catch(showError);
  void map.loadPlaces().then((a) => {
    if (!a) return;
    attributions = Array.from(new Set([...attributions, a]));
    attrib.textContent = attributions.join(' · ');
  }).catch(showError);
  void refreshMap();
  void renderView(panel, legend).catch(showError);
}

// Place search (issue 17 item 1, docs/places.md): a name in English, Urdu or
// Chinese (traditional or simplified); choosing a result centres the map on it.
let placeSearchSeq = 0;
function placeSearch(): HTMLElement {
  const input = h('input', {
    id: 'place-search', type: 'search', autocomplete: 'off', placeholder: t('placeSearchHint'),
    'aria-label': t('placeSearch'), 'aria-controls': 'place-results',
  });
  const results = h('ul', { id: 'place-results', class: 'place-results', 'aria-live': 'polite' });
  let timer = 0;
  const run = async (): Promise<void> => {
    const q = input.value.trim();
    const seq = ++placeSearchSeq;
    if (!q) { clear(results); return; }
    let found: PlacesResponse;
    try {
      found = await get<PlacesResponse>('/api/v1/places', { q, limit: 8 });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        clear(results);
        results.append(h('li', { class: 'muted' }, t('placeNoGazetteer')));
        return;
      }
      throw e;
    }
    if (seq !== placeSearchSeq) return;
    clear(results);
    if (!found.items.length) results.append(h('li', { class: 'muted' }, t('placeNone')));
    for (const p of found.items) {
      const province = areas.find((a) => a.pcode === p.admin1)?.name;
      const others = [p.names.en, p.names.ur, p.names.zh].filter((n) => n && n !== IncidentMap.placeName(p));
      const b = h('button', { type: 'button', class: 'place-result', 'data-geonameid': p.geonameid },
        h('bdi', { class: 'place-name' }, IncidentMap.placeName(p)),
        ...others.map((n) => h('bdi', { class: 'place-alt' }, n)),
        province ? h('span', { class: 'place-where' }, province) : null,
        h('span', { class: 'place-where' }, t('placePopulation', { n: num(p.population) })));
      b.addEventListener('click', () => {
        map?.showPlace(p);
        clear(results);
        input.value = IncidentMap.placeName(p);
      });
      results.append(h('li', {}, b));
    }
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run().catch(showError), 250);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const first = results.querySelector<HTMLButtonElement>('button.place-result');
      if (first) first.click(); else void run().catch(showError);
    } else if (e.key === 'Escape') {
      clear(results);
    }
  });
  return h('form', { class: 'place-search', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
    input, results);
}

// A failed request in the user's language (issue 17 item 7): the server's
// message is for logs and scripts; only a 400's, which names the parameter,
// is shown, inside a translated sentence.
function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return t('errForbidden');
    if (err.status === 404) return t('errNotFound');
    if (err.status === 409) return t('errConflict');
    if (err.status === 413) return t('errTooLarge');
    if (err.status === 429) return t('tooMany');
    if (err.status === 400) return t('errBadInput', { why: err.message });
    if (err.status >= 500) return t('errServer');
  }
  if (err instanceof TypeError) return t('errNetwork');  // fetch failed: no answer at all
  return t('error', { why: String((err as Error).message ?? err) });
}

function showError(err: unknown): void {
  if (err instanceof DOMException && err.name === 'AbortError') return;
  if (err instanceof ApiError && err.status === 401) return;
  const panel = document.getElementById('panel');
  const box = h('div', { class: 'status error error-box', role: 'alert' }, h('span', {}, errorText(err)));
  const close = button(t('close'), () => box.remove());
  close.className = 'close';
  box.append(close);
  panel?.prepend(box);
}

// What the signed-in user's roles grant (GET /auth/me's "may").
function may(action: string): boolean {
  return !!me && (me.may ?? []).includes(action);
}

const VIEW_NEEDS: Record<View, string> = {
  incidents: 'read', risk: 'read', sites: 'read-sites', organisations: 'read', route: 'read', report: 'read', committee: 'read-committee',
  admin: 'manage-accounts', links: 'link-incidents',
};

function viewAllowed(v: View): boolean {
  return may(VIEW_NEEDS[v]) && (v !== 'route' || mayPlanRoutes());
}

async function refreshMap(): Promise<void> {
  if (!map) return;
  map.setIncidentsVisible(state.view !== 'committee' && state.view !== 'organisations' &&
    (state.view !== 'risk' || state.points));
  try {
    await map.refresh(filterParams(state));
    const hint = document.getElementById('map-mode');
    if (hint) hint.textContent = map.mode === 'grid' ? t('zoomIn') : '';
    updateSizeKey();
    // The base map and the incidents are drawn: the first meaningful render
    // (and, after a pan, the redraw) that the browser tests measure.
    await baseReady;
    requestAnimationFrame(() => performance.mark('corridor-map-drawn'));
  } catch (err) { showError(err); }
}

async function renderView(panel: HTMLElement, legend: HTMLElement): Promise<void> {
  clear(panel);
  clear(legend);
  if (!firstDataReady) {
    panel.append(h('p', { class: 'sub', id: 'panel-loading' }, t('loading')));
    const view = state.view;
    await loadFirstData();
    // A newer layout or view replaced this panel while the data came.
    if (!panel.isConnected || state.view !== view) return;
    clear(panel);
  }
  mapClick = null;
  map?.setOverlay([]);
  map?.setChoropleth(null, () => null, () => '');
  map?.clearSites();
  if (state.view !== 'incidents') document.getElementById('incident-table')?.remove();
  // The admin console's tables want the room the map has; the map stays beside them.
  panel.parentElement?.classList.toggle('wide-panel', state.view === 'admin' || state.view === 'links');
  if (state.view === 'incidents') await renderIncidents(panel, legend);
  else if (state.view === 'risk') await renderRisk(panel, legend);
  else if (state.view === 'sites') await renderSites(panel);
  else if (state.view === 'organisations') {
    await renderOrganisations(panel, {
      lang: state.lang,
      selected: state.org,
      select: (id) => { state.org = id; commit(false); void renderView(panel, legend).catch(showError); },
      areaName,
      showDistricts: async (incidents) => {
        if (!map) return;
        if (incidents.size === 0) { map.setChoropleth(null, () => null, () => ''); return; }
        await map.loadDistricts();
        const max = Math.max(1, ...incidents.values());
        map.setChoropleth(2, (p) => incidents.has(p) ? rampColor(RISK_RAMP, incidents.get(p)!, max) : null,
          (p) => `${areaName(p)}: ${t('incidentsCount', { n: incidents.get(p) ?? 0 })}`);
        rampLegend(legend, t('incidents'), RISK_RAMP, 0, max, '');
      },
      openIncident: (id) => { void openIncident(id, true); },
      showIncidents: (id) => { state.org = id; state.view = 'incidents'; applyFilters(); },
      showError,
    });
  }
  else if (state.view === 'route') await renderRoute(panel, legend);
  else if (state.view === 'links') {
    await renderLinks(panel, {
      state: state.links,
      offset: state.linkOffset,
      go: async (which, offset) => {
        state.links = which;
        state.linkOffset = offset;
        commit(false);
        await renderView(panel, legend).catch(showError);
      },
      areaName,
      openIncident: (id) => { void openIncident(id); },
      showPair,
      dataChanged,
      errorText,
      showError,
    });
  }
  else if (state.view === 'committee') await renderCommittee(panel, legend);
  else if (state.view === 'admin') {
    await renderAdmin(panel, { me: me?.username ?? '', showError, errorText, pendingRequests });
  } else await renderReport(panel);
  // The console shows no incidents (an administrator reads TLP:CLEAR only).
  if (state.incident && state.view !== 'admin') openIncident(state.incident, false);
}

// ---- incidents view

function monthIndex(rows: MonthRow[], iso: string | null, fallback: number): number {
  if (!iso) return fallback;
  const m = iso.slice(0, 7);
  const i = rows.findIndex((r) => r.month >= m);
  return i < 0 ? rows.length - 1 : i;
}

function lastDay(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

function categoryLegend(legend: HTMLElement, present: string[]): void {
  legend.append(h('h2', {}, t('legend')),
    h('ul', { class: 'swatches' }, ...present.map((c) =>
      h('li', {}, swatch(categoryColor(c)), categoryName(c), ' ',
        h('span', { class: 'muted' }, `(${num(categoryCounts.get(c) ?? 0)})`)))),
    h('details', { class: 'legend-note' }, h('summary', {}, t('categorySourceShort')), t('categorySource')),
    h('div', { id: 'size-key' }));
  updateSizeKey();
}

// What a circle's size means in the map's current drawing (cells of counts
// when zoomed out, incidents by deaths when zoomed in).
function updateSizeKey(): void {
  const box = document.getElementById('size-key');
  if (!box || !map) return;
  clear(box);
  const key = map.sizeKey();
  const W = 2 * Math.max(...key.map((k) => k.r)) + 2;
  box.append(h('p', { class: 'legend-title' }, map.mode === 'grid' ? t('sizeKeyCells') : t('sizeKeyDeaths')),
    h('ul', { class: 'size-key' }, ...key.map((k) => {
      const svg = svgNode('svg', { width: W, height: W, viewBox: `0 0 ${W} ${W}`, 'aria-hidden': 'true' },
        svgNode('circle', { cx: W / 2, cy: W / 2, r: k.r, class: 'size-dot' }));
      return h('li', {}, svg, k.label);
    })));
  if (map.mode !== 'points') return;
  const ring = (dash: string | null, filled: boolean) => svgNode('svg', { width: 20, height: 20, viewBox: '0 0 20 20', 'aria-hidden': 'true' },
    svgNode('circle', {
      cx: 10, cy: 10, r: filled ? 6 : 8, class: filled ? 'size-dot' : 'precision-ring', 'stroke-dasharray': dash ?? undefined,
    }));
  box.append(h('p', { class: 'legend-title' }, t('precisionKey')),
    h('ul', { class: 'size-key precision-key' },
      h('li', {}, ring(null, true), t('keyExact')),
      h('li', {}, ring('4 3', false), t('keyDistrict')),
      h('li', {}, ring('1 3', false), t('keyProvince'))));
}

function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.background = color;
  return el;
}

async function renderIncidents(panel: HTMLElement, legend: HTMLElement): Promise<void> {
  const summary = h('div', { class: 'summary' },
    h('p', { class: 'big', id: 'count' }, t('loading')),
    h('p', { class: 'sub', id: 'deaths' }, ''),
    h('p', { class: 'sub', id: 'through' }, dataThrough ? t('dataThrough', { date: date(dataThrough) }) : ''),
    h('p', { class: 'sub hint', id: 'map-mode' }, ''));
  // One armed organisation's incidents (from its page): said, and removable.
  if (state.org) {
    const chip = h('p', { class: 'sub org-filter', id: 'org-filter', 'data-org': state.org },
      h('span', { id: 'org-filter-name' },
        t('orgFilter', { name: organisationNameNow(state.org, state.lang) ?? state.org })), ' ');
    const drop = h('button', { type: 'button', class: 'link', id: 'org-filter-remove' }, t('orgFilterRemove'));
    drop.addEventListener('click', () => { state.org = null; applyFilters(); });
    chip.append(drop);
    summary.append(chip);
    void organisationName(state.org, state.lang).then((name) => {
      const el = document.getElementById('org-filter-name');
      if (el && name) el.textContent = t('orgFilter', { name });
    }).catch(() => {});
  }

  // Date range over the monthly histogram (all dates, the other filters applied).
  const histWrap = h('div', { class: 'histwrap' });
  const n = fullHistogram.length;
  let lo = monthIndex(fullHistogram, state.from, 0);
  let hi = state.to ? monthIndex(fullHistogram, state.to, n - 1) : n - 1;
  if (state.to && fullHistogram[hi] && fullHistogram[hi].month > state.to.slice(0, 7)) hi = Math.max(0, hi - 1);
  const loIn = h('input', { type: 'range', min: 0, max: Math.max(0, n - 1), value: lo, id: 'range-from', 'aria-label': t('from') });
  const hiIn = h('input', { type: 'range', min: 0, max: Math.max(0, n - 1), value: hi, id: 'range-to', 'aria-label': t('to') });
  const rangeText = h('p', { class: 'range-text', id: 'range-text' });
  const drawHist = () => {
    clear(histWrap);
    histWrap.append(histogram(fullHistogram, lo, hi));
    if (n) rangeText.textContent = `${month(fullHistogram[lo].month + '-01')} – ${month(fullHistogram[hi].month + '-01')}`;
    loIn.setAttribute('aria-valuetext', n ? month(fullHistogram[lo].month + '-01') : '');
    hiIn.setAttribute('aria-valuetext', n ? month(fullHistogram[hi].month + '-01') : '');
  };
  const onRange = (which: 'lo' | 'hi') => {
    lo = Number(loIn.value); hi = Number(hiIn.value);
    if (lo > hi) { if (which === 'lo') hi = lo; else lo = hi; loIn.value = String(lo); hiIn.value = String(hi); }
    drawHist();
  };
  loIn.addEventListener('input', () => onRange('lo'));
  hiIn.addEventListener('input', () => onRange('hi'));
  const commitRange = () => {
    if (!n) return;
    state.from = lo === 0 ? null : `${fullHistogram[lo].month}-01`;
    state.to = hi === n - 1 ? null : lastDay(fullHistogram[hi].month);
    applyFilters();
  };
  loIn.addEventListener('change', commitRange);
  hiIn.addEventListener('change', commitRange);
  drawHist();

  // Categories: any number ticked (the URL and the API take a list); none ticked is all.
  const present = CATEGORIES.filter((c) => (categoryCounts.get(c) ?? 0) > 0 || state.categories.includes(c));
  const catBoxes = present.map((c) => h('input', {
    type: 'checkbox', name: 'category', value: c, id: `f-cat-${c}`, checked: state.categories.includes(c),
  }));
  const cat = h('fieldset', { class: 'categories', id: 'f-category', 'aria-describedby': 'f-category-help' },
    h('legend', {}, t('category')),
    h('p', { class: 'help', id: 'f-category-help' }, t('categoriesHelp')),
    h('div', { class: 'cat-grid' }, ...present.map((c, i) =>
      h('label', { class: 'cat', for: `f-cat-${c}` }, catBoxes[i], swatch(categoryColor(c)), h('span', {}, categoryName(c))))));
  const provinces = areas.filter((a) => a.level === 1).sort((a, b) => areaName(a.pcode).localeCompare(areaName(b.pcode), locale()));
  const area = h('select', { id: 'f-area' }, h('option', { value: '' }, t('allAreas')),
    ...provinces.map((p) => h('optgroup', { label: areaName(p.pcode) },
      h('option', { value: p.pcode, selected: state.area === p.pcode }, `${areaName(p.pcode)} (${t('province')})`),
      ...areas.filter((d) => d.level === 2 && d.parent_pcode === p.pcode).sort((a, b) => a.name.localeCompare(b.name))
        .map((d) => h('option', { value: d.pcode, selected: state.area === d.pcode }, d.name)))));
  const text = h('input', { id: 'f-text', type: 'search', value: state.text ?? '', placeholder: t('textPlaceholder') });
  const [from, fromEcho] = dateInput('f-from', state.from ?? '');
  const [to, toEcho] = dateInput('f-to', state.to ?? '');
  const form = h('form', { class: 'filters', id: 'filters' },
    h('h2', {}, t('filters')),
    h('fieldset', {}, h('legend', {}, t('dates')), histWrap,
      h('div', { class: 'ranges' }, loIn, hiIn), rangeText,
      h('div', { class: 'row2' },
        h('label', {}, h('span', {}, t('from')), from, fromEcho),
        h('label', {}, h('span', {}, t('to')), to, toEcho))),
    cat,
    h('label', { for: 'f-area' }, t('area')), area,
    h('label', { for: 'f-text' }, t('text')), text,
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary', id: 'apply' }, t('apply')),
      h('button', { type: 'button', id: 'reset' }, t('reset'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.categories = catBoxes.filter((b) => b.checked).map((b) => b.value).sort();
    state.area = area.value || null;
    state.text = text.value.trim() || null;
    state.from = from.value.trim() || null;
    state.to = to.value.trim() || null;
    applyFilters();
  });
  // Choosing an area shows it on the map at once; the filter applies with the others.
  area.addEventListener('change', () => void zoomToArea(area.value || null));
  form.querySelector('#reset')!.addEventListener('click', () => {
    state.categories = []; state.area = null; state.text = null; state.from = null; state.to = null;
    state.org = null;
    applyFilters();
  });

  const exportBox = h('div', { class: 'export' },
    h('h2', {}, t('export')),
    button(t('exportCsv'), () => void exportView('csv'), 'export-csv'),
    button(t('exportGeoJson'), () => void exportView('geojson'), 'export-geojson'),
    h('p', { class: 'muted', id: 'export-status', role: 'status' }, t('exportScope')),
    briefingBox(),
    button(t('copyLink'), async (b) => {
      try { await navigator.clipboard.writeText(location.href); } catch { /* not allowed: the URL bar has it */ }
      b.textContent = t('linkCopied');
    }, 'copy-link'));

  const tlBox = h('section', { class: 'timeline-box', 'aria-labelledby': 'tl-h' },
    h('h2', { id: 'tl-h' }, t('timeline')),
    h('div', { id: 'timeline' }, t('loading')),
    h('p', { class: 'keys' }, h('span', { class: 'key bars' }), t('incidents'), ' ',
      h('span', { class: 'key line' }), t('deaths')),
    h('p', { class: 'help', id: 'brush-help' }, t('brushHelp')));
  const tableOpen = button(t('tableOpen'), () => { state.table = true; commit(false); void renderTable(true); }, 'table-open');
  panel.append(summary, form, tlBox, tableOpen, exportBox);
  if (state.table) void renderTable(true);

  categoryLegend(legend, present);
  await loadIncidentSummary();
}

// A date field that reads the same in every language: ISO 8601 typed left to
// right (a native date input shows the browser's own locale, mm/dd/yyyy
// whatever the page's language), with the date echoed beside it as the chosen
// language writes it, and a translated message for a date that does not exist.
function dateInput(id: string, value: string, required = false): [HTMLInputElement, HTMLElement] {
  const input = h('input', {
    id, type: 'text', dir: 'ltr', inputmode: 'numeric', autocomplete: 'off', maxlength: 10, required,
    pattern: '\\d{4}-\\d{2}-\\d{2}', placeholder: t('datePattern'), value, 'aria-describedby': `${id}-echo`,
  }) as HTMLInputElement;
  const echo = h('span', { class: 'date-echo', id: `${id}-echo`, 'aria-live': 'polite' });
  const update = () => {
    const v = input.value.trim();
    const ok = v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + 'T00:00:00Z')) &&
      new Date(Date.parse(v + 'T00:00:00Z')).toISOString().startsWith(v));
    input.setCustomValidity(ok ? '' : t('dateInvalid'));
    input.setAttribute('aria-invalid', ok ? 'false' : 'true');
    echo.textContent = v === '' ? '' : ok ? date(v) : t('dateInvalid');
    echo.classList.toggle('bad', !ok);
  };
  input.addEventListener('input', update);
  update();
  return [input, echo];
}

function button(label: string, fn: (b: HTMLButtonElement) => void, id?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', id });
  b.textContent = label;
  b.addEventListener('click', () => fn(b));
  return b;
}

async function zoomToArea(pcode: string | null): Promise<void> {
  if (!map) return;
  const a = pcode ? areas.find((x) => x.pcode === pcode) : null;
  const bounds = a ? await map.areaBounds(a.pcode, a.level) : map.countryBounds();
  if (bounds) map.fitBounds(bounds);
}

function applyFilters(): void {
  state.incident = null;
  filteredCount = null;  // until the new filter's count comes
  commit(false);
  renderApp();
}

async function loadIncidentSummary(): Promise<void> {
  const f = filterParams(state);
  try {
    const [tl, hist] = await Promise.all([
      get<TimelineResponse>('/api/v1/stats/timeline', f),
      get<TimelineResponse>('/api/v1/stats/timeline', { ...f, from: undefined, to: undefined }),
    ]);
    filteredCount = tl.count;
    const count = document.getElementById('count');
    if (count) count.textContent = t('incidentsCount', { n: tl.count });
    const deaths = document.getElementById('deaths');
    if (deaths) deaths.textContent = t('deathsCount', { n: tl.killed });
    const box = document.getElementById('timeline');
    if (box) {
      clear(box);
      // Dragging across the timeline filters by those months (the brush).
      box.append(timeline(tl.months, (lo, hi) => {
        state.from = `${tl.months[lo].month}-01`;
        state.to = lastDay(tl.months[hi].month);
        applyFilters();
      }));
    }
    if (hist.months.length !== fullHistogram.length && !f.category && !f.area && !f.text) fullHistogram = hist.months;
    updateTableRange();
  } catch (err) { showError(err); }
}

// ---- incident table (issue 17 item 8)

// A sheet over the map: every filtered incident, a page at a time, in the
// order the analyst picks (the API's keyset pages; Previous walks back the
// cursors already seen). The count is the filter's, from the timeline.
let filteredCount: number | null = null;
let tableCursors: string[] = [''];
let tableShown = 0;

function noteAttribution(list: Attribution[]): void {
  for (const a of list) {
    if (a.licence.attribution && !attributions.includes(a.licence.attribution)) attributions.push(a.licence.attribution);
  }
  const attrib = document.getElementById('attribution');
  if (attrib) attrib.textContent = attributions.join(' · ');
}

function deathsText(i: Incident): string {
  if (i.killed === null) return '—';
  const low = i.killed_low ?? null;
  const high = i.killed_high ?? null;
  if (low === null || high === null || (low === i.killed && high === i.killed)) return num(i.killed);
  return `${num(i.killed)} (${num(low)}–${num(high)})`;
}

function sortHeader(label: string, column: 'date' | 'deaths'): HTMLElement {
  const active = state.sort.startsWith(column);
  const ascending = state.sort.endsWith('_asc');
  const th = h('th', { scope: 'col', 'aria-sort': active ? (ascending ? 'ascending' : 'descending') : 'none' });
  const b = h('button', { type: 'button', class: 'sort', id: `sort-${column}` }, label,
    h('span', { 'aria-hidden': 'true' }, active ? (ascending ? ' ▲' : ' ▼') : ' ↕'));
  b.addEventListener('click', () => {
    // The first click on a column sorts it descending (newest, most deaths); the next flips it.
    const next = (active && !ascending ? `${column}_asc` : `${column}_desc`) as Sort;
    state.sort = next;
    commit(false);
    void renderTable(true);
  });
  th.append(b);
  return th;
}

function updateTableRange(): void {
  const range = document.getElementById('table-range');
  if (!range) return;
  const page = tableCursors.length - 1;
  const first = page * state.rows + 1;
  range.textContent = tableShown === 0 ? '' : t('pageOf', {
    first: num(first), last: num(first + tableShown - 1), n: filteredCount === null ? '…' : num(filteredCount),
  });
}

async function renderTable(fromStart: boolean): Promise<void> {
  if (fromStart) tableCursors = [''];
  let sheet = document.getElementById('incident-table');
  if (!sheet) {
    sheet = h('section', { class: 'table-sheet', id: 'incident-table', 'aria-labelledby': 'table-h' });
    document.querySelector('.mapwrap')?.append(sheet);
  }
  const cursor = tableCursors[tableCursors.length - 1];
  const params: Record<string, string | number> = { ...filterParams(state), limit: state.rows, sort: state.sort };
  if (cursor) params.cursor = cursor;
  let page: { items: Incident[]; next_cursor: string | null; attribution: Attribution[] };
  try {
    page = await get('/api/v1/incidents', params);
  } catch (err) { showError(err); return; }
  if (!sheet.isConnected) return;
  noteAttribution(page.attribution);
  tableShown = page.items.length;
  clear(sheet);
  const close = button(t('close'), () => { sheet?.remove(); state.table = false; commit(false); }, 'table-close');
  close.className = 'close';
  const size = h('select', { id: 'table-size' },
    ...TABLE_ROWS.map((n) => h('option', { value: n, selected: n === state.rows }, num(n))));
  size.addEventListener('change', () => { state.rows = Number(size.value) as ViewState['rows']; commit(false); void renderTable(true); });
  const prev = button(t('previous'), () => { tableCursors.pop(); void renderTable(false); }, 'table-prev');
  prev.disabled = tableCursors.length <= 1;
  const next = button(t('next'), () => { tableCursors.push(page.next_cursor ?? ''); void renderTable(false); }, 'table-next');
  next.disabled = !page.next_cursor;
  const body = h('tbody', {}, ...page.items.map((i) => {
    const place = [i.location, areaName(i.admin2), areaName(i.admin1)].filter(Boolean)[0] || '—';
    const open = h('button', { type: 'button', class: 'link incident-row', 'data-id': i.id }, h('bdi', {}, place));
    open.addEventListener('click', () => void openIncident(i.id));
    const tlp = i.marking || 'TLP:CLEAR';
    return h('tr', {},
      h('td', { class: 'nowrap' }, date(i.date_start)),
      h('td', {}, open),
      h('td', {}, swatch(categoryColor(i.category)), ' ', categoryName(i.category)),
      // A range reads left to right in every language ("12 (10–15)", not mirrored in Urdu).
      h('td', { class: 'num' }, h('bdi', { dir: 'ltr' }, deathsText(i))),
      h('td', {}, precisionName(i.location_precision ?? 'none')),
      h('td', {}, h('bdi', {}, i.provenance.dataset)),
      h('td', {}, h('span', { class: `tlp tlp-${tlp.replace(/[^A-Z]/g, '').toLowerCase()}` }, tlp)));
  }));
  sheet.append(
    h('div', { class: 'table-head' },
      h('h2', { id: 'table-h' }, t('tableTitle')),
      h('p', { id: 'table-range', class: 'sub', role: 'status' }),
      h('label', { class: 'inline' }, h('span', {}, t('pageSize')), size),
      prev, next, close),
    h('p', { class: 'help' }, t('sortHelp')),
    page.items.length === 0
      ? h('p', { class: 'status info', id: 'table-empty' }, t('noMatches'))
      : h('div', { class: 'table-scroll' }, h('table', { class: 'incidents', id: 'incidents-table' },
        h('thead', {}, h('tr', {},
          sortHeader(t('colDate'), 'date'),
          h('th', { scope: 'col' }, t('colPlace')),
          h('th', { scope: 'col' }, t('colCategory')),
          sortHeader(`${t('colDeaths')} (${t('colDeathsRange')})`, 'deaths'),
          h('th', { scope: 'col' }, t('colPrecision')),
          h('th', { scope: 'col' }, t('colSource')),
          h('th', { scope: 'col' }, t('colMarking')))),
        body)));
  updateTableRange();
}

// ---- incident details

async function openIncident(id: string, push = true): Promise<void> {
  state.incident = id;
  if (push) commit(false);
  document.getElementById('details')?.remove();
  const box = h('section', { class: 'details', id: 'details', role: 'dialog', 'aria-labelledby': 'details-h', tabindex: '-1' },
    h('p', {}, t('loading')));
  document.querySelector('.mapwrap')?.append(box);
  try {
    const i = await get<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`);
    clear(box);
    const close = button(t('close'), () => { box.remove(); state.incident = null; commit(false); }, 'details-close');
    close.className = 'close';
    const rows: [string, string][] = [
      [t('date'), i.date_end && i.date_end !== i.date_start ? `${date(i.date_start)} – ${date(i.date_end)}` : date(i.date_start)],
      [t('category'), categoryName(i.category)],
      [t('location'), [i.location, areaName(i.admin2), areaName(i.admin1)].filter(Boolean).join(', ')],
      [t('precision'), precisionName(i.location_precision ?? 'none')],
      [t('killed'), i.killed === null ? '—' : num(i.killed)],
    ];
    if (i.wounded !== null && i.wounded !== undefined) rows.push([t('wounded'), num(i.wounded)]);
    const prov: [string, string][] = [
      [t('dataset'), `${i.provenance.dataset}${i.provenance.dataset_version ? ' ' + i.provenance.dataset_version : ''}`],
      [t('sourceRow'), [i.provenance.source_id && `#${i.provenance.source_id}`, i.provenance.file,
        i.provenance.line ? `line ${i.provenance.line}` : ''].filter(Boolean).join(' · ') || '—'],
      [t('licence'), i.licence.id],
      [t('attribution'), i.licence.attribution],
    ];
    const tlp = i.marking || 'TLP:CLEAR';
    // One event, several sources (issue 17 item 11): whether this record is
    // counted in another source's, and the other sources' records of it.
    const countedNote = h('p', { class: 'counted-note', hidden: true });
    const also = h('section', { class: 'also-reported', id: 'also-reported', 'aria-labelledby': 'also-h', hidden: true });
    box.append(
      h('div', { class: 'details-head' }, h('h2', { id: 'details-h' }, h('bdi', {}, i.headline || `${categoryName(i.category)} · ${i.location || date(i.date_start)}`)), close),
      h('p', { class: `tlp tlp-${tlp.replace(/[^A-Z]/g, '').toLowerCase()}`, id: 'details-marking' }, tlp),
      countedNote,
      dl(rows),
      i.description ? h('p', { class: 'desc' }, i.description) : '',
      h('h3', {}, t('provenance')), dl(prov),
      also,
      markingForm(i) ?? '');
    void alsoReported(i.id, countedNote, also, { areaName, openIncident: (other) => void openIncident(other), errorText });
    if (push) box.focus();
    if (i.latitude !== null && i.longitude !== null && map && push) {
      map.setOverlay([map.pointsLayer([i])]);
    }
  } catch (err) {
    clear(box);
    box.append(h('p', { class: 'status error' }, errorText(err)));
  }
}

// A write changed what the figures count (a confirmed link): the map's
// incidents and the counts the panel keeps (categories, months) are asked for
// again; the old ones stay shown until the new ones come.
function dataChanged(): void {
  map?.forget();
  void refreshMap();
  firstData = null;
  void loadFirstData().catch(() => {});
}

// Two records of one event on the map, side by side (the review of links).
async function showPair(ids: string[]): Promise<void> {
  if (!map) return;
  const list = await Promise.all(ids.map((id) => get<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`)));
  const placed = list.filter((i) => i.latitude !== null && i.longitude !== null);
  map.setOverlay([map.pointsLayer(placed)]);
  map.fitPoints(placed.map((i): [number, number] => [i.longitude!, i.latitude!]));
}

function areaName(pcode: string): string {
  return areaNameIn(pcode, areas.find((a) => a.pcode === pcode)?.name ?? '');
}

function dl(rows: [string, string][]): HTMLElement {
  return h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

const TLPS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

function markingForm(i: Incident): HTMLElement | null {
  if (!me?.roles.includes('analyst')) return null;
  const select = h('select', { id: 'marking-select', 'aria-label': t('marking') },
    ...TLPS.map((m) => h('option', { value: m, selected: m === i.marking }, m)));
  const status = h('p', { class: 'status', role: 'status', id: 'marking-status' });
  const form = h('form', { class: 'marking-form' }, h('h3', {}, t('changeMarking')),
    h('div', { class: 'row2' }, select, h('button', { type: 'submit', id: 'marking-submit' }, t('changeMarking'))), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const res = await postRaw(`/api/v1/incidents/${i.id}/marking`, { marking: select.value });
      status.textContent = res.status === 202
        ? t('markingPending', { m: select.value, id: String((res.body as { request?: { id?: string } }).request?.id ?? '') })
        : t('markingApplied', { m: select.value });
      status.className = 'status info';
    } catch (err) {
      status.textContent = errorText(err);
      status.className = 'status error';
    }
  });
  return form;
}

async function postRaw(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  forgetReads();
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('corridor.csrf') ?? '' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) { setUnauthenticatedHandlerFire(); throw new ApiError(401, 'Unauthenticated', t('sessionExpired')); }
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'HTTP', json?.error?.message ?? `HTTP ${res.status}`);
  return { status: res.status, body: json };
}

function setUnauthenticatedHandlerFire(): void {
  if (!me) return;
  me = null;
  setCsrf(null);
  flash = { kind: 'info', text: t('sessionExpired') };
  renderSignIn();
}

// ---- export

// Exports what the filter says (issue 17 item 10), not what the map shows: the
// whole filtered set, up to 100,000 records, with the attribution in the file
// (every CSV row; the GeoJSON's "attribution" member), and says so.
const EXPORT_LIMIT = 100000;
async function exportView(format: 'csv' | 'geojson'): Promise<void> {
  const params = { ...filterParams(state), limit: EXPORT_LIMIT };
  const status = document.getElementById('export-status');
  if (status) status.textContent = t('exporting');
  let blob: Blob;
  let count: number;
  let more: boolean;
  if (format === 'geojson') {
    const fc = await get<GeoJSON.FeatureCollection & { next_cursor: string | null }>('/api/v1/incidents.geojson', params);
    blob = new Blob([JSON.stringify(fc)], { type: 'application/geo+json' });
    count = fc.features.length;
    more = fc.next_cursor !== null;
  } else {
    const csv = await getText('/api/v1/incidents.csv', params);
    blob = new Blob([csv.text], { type: 'text/csv' });
    count = Math.max(0, csv.text.split('\r\n').filter(Boolean).length - 1);
    more = csv.next !== null;
  }
  const a = h('a', { href: URL.createObjectURL(blob), download: `corridor-incidents.${format === 'csv' ? 'csv' : 'geojson'}` });
  document.body.append(a);
  a.click();
  a.remove();
  if (status) {
    status.textContent = t(more ? 'exportedFirst' : 'exported', { n: num(count) });
    status.setAttribute('data-count', String(count));
  }
}

// ---- risk view

interface IndexRow { pcode: string; name: string; score: number; rank: number; w: number }
interface VulnArea { pcode: string; name: string; province: string; index: number | null }

async function renderRisk(panel: HTMLElement, legend: HTMLElement): Promise<void> {
  const radios = (name: string, options: [string, string][], value: string, onChange: (v: string) => void) =>
    h('div', { class: 'radios', role: 'radiogroup' }, ...options.map(([v, label]) => {
      const input = h('input', { type: 'radio', name, value: v, id: `${name}-${v}`, checked: v === value });
      input.addEventListener('change', () => onChange(v));
      return h('label', { for: `${name}-${v}` }, input, label);
    }));
  const check = (id: string, label: string, on: boolean, fn: (v: boolean) => void) => {
    const input = h('input', { type: 'checkbox', id, checked: on });
    input.addEventListener('change', () => fn(input.checked));
    return h('label', { for: id, class: 'check' }, input, label);
  };
  const set = (patch: Partial<ViewState>) => { Object.assign(state, patch); commit(false); renderApp(); };
  const top = h('ol', { class: 'top-areas', id: 'top-areas' });
  panel.append(
    h('h2', {}, t('layers')),
    h('fieldset', {}, h('legend', {}, t('choropleth')),
      radios('ch', [['none', t('none')], ['impact', t('impactIndex')], ['vulnerability', t('vulnerability')]],
        state.choropleth, (v) => set({ choropleth: v as ViewState['choropleth'] })),
      radios('lvl', [['1', t('province')], ['2', t('district')]], String(state.level),
        (v) => set({ level: v === '1' ? 1 : 2 }))),
    h('details', { class: 'definition' }, h('summary', {}, `${t('definition')}: ${t('impactIndex')}`), h('p', {}, t('impactDefinition'))),
    h('details', { class: 'definition' }, h('summary', {}, `${t('definition')}: ${t('vulnerability')}`), h('p', {}, t('vulnerabilityDefinition'))),
    top,
    check('layer-hotspots', t('hotspots'), state.hotspots, (v) => set({ hotspots: v })),
    h('details', { class: 'definition' }, h('summary', {}, t('definition')), h('p', {}, t('hotspotDefinition'))),
    check('layer-forecast', t('forecast'), state.forecast, (v) => set({ forecast: v })),
    check('layer-incidents', t('incidentsLayer'), state.points, (v) => set({ points: v })),
    h('details', { class: 'definition' }, h('summary', {}, t('definition')), h('p', {}, t('forecastDefinition'))),
    h('section', { id: 'backtest', class: 'backtest' }));

  await baseReady;
  const overlays: import('leaflet').Layer[] = [];
  const busy = h('p', { class: 'sub', id: 'risk-loading' }, t('loading'));
  if (state.choropleth !== 'none' || state.hotspots || state.forecast) top.before(busy);
  if (state.choropleth !== 'none') {
    let values = new Map<string, number>();
    let names = new Map<string, string>();
    let max = 10;
    if (state.choropleth === 'impact') {
      const idx = await get<{ rows: IndexRow[]; data_through: string }>('/api/v1/risk/index', { level: state.level === 1 ? 'province' : 'district' });
      for (const r of idx.rows) { values.set(r.pcode, r.score); names.set(r.pcode, areaNameIn(r.pcode, r.name)); }
    } else {
      const v = await get<{ areas: VulnArea[] }>('/api/v1/risk/vulnerability');
      if (state.level === 2) {
        for (const a of v.areas) if (a.index !== null) { values.set(a.pcode, a.index); names.set(a.pcode, a.name); }
      } else {
        // Provinces: the mean of their districts' index (stated in the legend).
        const sum = new Map<string, [number, number]>();
        for (const a of v.areas) {
          if (a.index === null) continue;
          const p = areas.find((x) => x.pcode === a.pcode)?.parent_pcode ?? '';
          const s = sum.get(p) ?? [0, 0];
          sum.set(p, [s[0] + a.index, s[1] + 1]);
        }
        values = new Map([...sum].map(([p, [s, n]]) => [p, s / n]));
        names = new Map([...values.keys()].map((p) => [p, areaName(p)]));
      }
    }
    if (state.level === 2) await map?.loadDistricts();
    const ramp = state.choropleth === 'impact' ? RISK_RAMP : VULN_RAMP;
    map?.setChoropleth(state.level, (p) => values.has(p) ? rampColor(ramp, values.get(p)!, max) : null,
      (p) => `${names.get(p) ?? areaName(p)}: ${values.has(p) ? num(values.get(p)!, 1) : t('noData')}`);
    const sorted = [...values].sort((a, b) => b[1] - a[1]).slice(0, 8);
    top.before(h('h3', {}, `${state.choropleth === 'impact' ? t('impactIndex') : t('vulnerability')} · ${t('ranking')}`));
    top.append(...sorted.map(([p, v]) => h('li', {}, swatch(rampColor(ramp, v, max)),
      h('span', { class: 'what' }, names.get(p) ?? areaName(p)), h('span', { class: 'num' }, num(v, 1)))));
    rampLegend(legend, state.choropleth === 'impact' ? t('impactIndex') : t('vulnerability'), ramp, 0, max,
      state.choropleth === 'vulnerability' && state.level === 1 ? `${t('province')} = ⌀ ${t('district')}` : '');
    max = 10;
  }
  if (state.hotspots && map) {
    const fc = await get<GeoJSON.FeatureCollection>('/api/v1/risk/hotspots.geojson', { from: state.from, to: state.to, min_fraction: 0.02 });
    const dens = fc.features.map((f) => Number((f.properties as any)?.density ?? (f.properties as any)?.value ?? 0));
    const maxD = Math.max(1e-12, ...dens);
    overlays.push(map.geoJsonLayer(fc, (f) => {
      const d = Number((f.properties as any)?.density ?? (f.properties as any)?.value ?? 0);
      return { stroke: false, fillColor: rampColor(HEAT_RAMP, d, maxD), fillOpacity: 0.65 };
    }));
    rampLegend(legend, t('hotspots'), HEAT_RAMP, null, null, '');
  }
  if (state.forecast && map) {
    const fc = await get<GeoJSON.FeatureCollection & { data_through?: string; horizon_days?: number; model?: string }>('/api/v1/risk/forecast.geojson');
    const maxE = Math.max(1e-9, ...fc.features.map((f) => Number((f.properties as any)?.expected ?? 0)));
    overlays.push(map.geoJsonLayer(fc, (f) => {
      const e = Number((f.properties as any)?.expected ?? 0);
      const shown = e > maxE * 0.02;
      return { stroke: shown, color: '#4c1d95', weight: 0.4, fillColor: rampColor(FORECAST_RAMP, e, maxE), fillOpacity: shown ? 0.7 : 0 };
    }, (f) => `${num(Number((f.properties as any)?.expected ?? 0), 2)}`));
    rampLegend(legend, t('forecast'), FORECAST_RAMP, 0, maxE, '');
    void loadBacktest(fc);
  }
  map?.setOverlay(overlays);
  busy.remove();
}

function rampLegend(legend: HTMLElement, title: string, ramp: string[], lo: number | null, hi: number | null, note: string): void {
  legend.append(h('div', { class: 'ramp-legend' },
    h('h2', {}, title),
    h('div', { class: 'ramp' }, ...ramp.map((c) => swatch(c))),
    h('div', { class: 'ramp-labels' },
      h('span', {}, lo === null ? t('low') : num(lo, 1)), h('span', {}, hi === null ? t('high') : num(hi, hi < 10 ? 2 : 0))),
    note ? h('p', { class: 'sub' }, note) : ''));
}

// The backtest of the forecast's model beside its baselines, in the same
// protocol: the table (best of each column marked), a sentence that says
// plainly where the map's model loses, and the reliability diagram.
type Score = { hit_rate_5: number; pai_5: number; hit_rate_10: number; pai_10: number; brier?: number;
  reliability?: ReliabilityBin[] };
type Backtest = { hawkes: Score; persistence: Score; long_run_average: Score; decayed_history: Score;
  ensemble?: Score; selected?: Score; months: number; events: number; first_month?: string; last_month?: string;
  selection?: { variants: number; next_weights: { hawkes: number; long_run_average: number; decayed_history: number } } };
type Method = 'hawkes' | 'persistence' | 'long_run_average' | 'decayed_history' | 'ensemble' | 'selected';
const MODELS: Record<string, Method> = { ensemble: 'ensemble', selected: 'selected' };
const MEASURES = [['hit_rate_5', 'hitRate5', 1], ['pai_5', 'pai5', 1], ['hit_rate_10', 'hitRate10', 1],
  ['pai_10', 'pai10', 1], ['brier', 'brier', -1]] as const;

function measureText(key: (typeof MEASURES)[number][0], v: number): string {
  return key.startsWith('hit') ? pct(v, 1) : key === 'brier' ? num(v, 4) : num(v, 2);
}

// Says plainly whether the map's model beats every baseline: if not, a list
// with one line per measure on which the best baseline does better, with
// both figures.
function verdict(b: Backtest, names: Record<string, string>, model: Method): HTMLElement {
  const ours = b[model];
  const losses: HTMLElement[] = [];
  for (const [key, label, sign] of MEASURES) {
    const mine = ours?.[key];
    if (mine === undefined) continue;
    let best: [string, number] | null = null;
    for (const m of ['persistence', 'long_run_average', 'decayed_history'] as const) {
      const v = b[m]?.[key];
      if (v !== undefined && sign * (v - mine) > 0 && (!best || sign * (v - best[1]) > 0)) best = [m, v];
    }
    if (best) {
      losses.push(h('li', { 'data-measure': key }, t('verdictLoss', { measure: t(label), method: names[best[0]],
        theirs: measureText(key, best[1]), ours: measureText(key, mine) })));
    }
  }
  if (!losses.length) return h('div', { id: 'backtest-verdict', class: 'verdict' }, h('p', {}, t('verdictWins')));
  return h('div', { id: 'backtest-verdict', class: 'verdict' }, h('p', {}, t('verdictLoses')), h('ul', {}, ...losses));
}

async function loadBacktest(forecast: { data_through?: string; horizon_days?: number; model?: string }): Promise<void> {
  const box = document.getElementById('backtest');
  if (!box) return;
  clear(box);
  // When and for what the map's forecast was issued: the day after the data
  // it was fitted on, for the horizon's days.
  const through = forecast.data_through ?? '';
  const days = forecast.horizon_days ?? 30;
  const plus = (iso: string, n: number) => new Date(Date.parse(iso + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
  // The model the map draws (the server says which; older servers drew the Hawkes model).
  const model: Method = MODELS[forecast.model ?? ''] ?? 'hawkes';
  if (through) {
    box.append(h('p', { id: 'forecast-issued', 'data-through': through, 'data-model': model },
      t('forecastIssued', { model: t(model === 'hawkes' ? 'hawkes' : model === 'selected' ? 'selectedPool' : 'ensemble'), through: date(through), first: date(plus(through, 1)),
        last: date(plus(through, days)), days: num(days) })));
  }
  box.append(h('h3', {}, t('backtest')), h('p', { class: 'sub', id: 'backtest-status' }, t('loading')));
  try {
    // Longer than a request's budget on a cold cache: it runs as a job, with progress.
    const b = await getOrJob<Backtest>('/api/v1/risk/backtest', 'risk.backtest', {}, (f) => {
      const st = document.getElementById('backtest-status');
      if (st) st.textContent = `${t('loading')} ${pct(f)}`;
    });
    document.getElementById('backtest-status')?.remove();
    const names: Record<string, string> = { hawkes: t('hawkes'), persistence: t('persistence'),
      long_run_average: t('longRun'), decayed_history: t('decayed'), ensemble: t('ensemble'),
      selected: t('selectedPool') };
    // The map's model first, then the others in the backtest's order.
    const methods = [model, ...(['hawkes', 'persistence', 'long_run_average', 'decayed_history', 'ensemble', 'selected'] as const)
      .filter((m) => m !== model)].filter((m) => b[m] !== undefined);
    const bestOf = (key: (typeof MEASURES)[number][0], sign: number) =>
      Math.max(...methods.map((m) => (b[m]?.[key] === undefined ? -Infinity : sign * (b[m]![key] as number))));
    const cell = (m: Method, key: (typeof MEASURES)[number][0], sign: number) => {
      const v = b[m]?.[key];
      if (v === undefined) return h('td', {}, '—');
      const best = sign * v === bestOf(key, sign);
      return h('td', { class: best ? 'best' : undefined }, best ? h('strong', {}, measureText(key, v)) : measureText(key, v));
    };
    const period = b.first_month && b.last_month ? ` (${month(b.first_month + '-01')} – ${month(b.last_month + '-01')})` : '';
    box.append(h('p', { class: 'sub' }, t('backtestIntro') + period),
      h('table', { id: 'backtest-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('model')),
          ...MEASURES.map(([, label]) => h('th', { scope: 'col' }, t(label))))),
        h('tbody', {}, ...methods.map((m) => h('tr', { 'data-method': m, class: m === model ? 'ours' : undefined },
          h('th', { scope: 'row' }, m === model ? `${names[m]} · ${t('onTheMap')}` : names[m]),
          ...MEASURES.map(([key, , sign]) => cell(m, key, sign)))))),
      verdict(b, names, model));
    if (b.selection) {
      const w = b.selection.next_weights;
      box.append(h('p', { class: 'sub', id: 'selection-note' }, t('selectionNote', { n: num(b.selection.variants),
        h: num(w.hawkes, 1), l: num(w.long_run_average, 1), d: num(w.decayed_history, 1) })));
    }
    const series: ReliabilitySeries[] = (['hawkes', 'long_run_average', 'ensemble', 'selected'] as const)
      .filter((m) => b[m]?.reliability?.length)
      .map((m, i) => ({ name: names[m], cls: `s${i}`, bins: b[m]!.reliability! }));
    if (series.length) {
      box.append(h('figure', { id: 'calibration', class: 'calibration' },
        h('h3', {}, t('calibration')),
        reliability(series),
        h('ul', { class: 'series-key' }, ...series.map((x) => h('li', {}, h('span', { class: `key ${x.cls}`, 'aria-hidden': 'true' }), x.name))),
        h('figcaption', { class: 'sub' }, t('calibrationCaption'))));
    }
  } catch (err) {
    const st = document.getElementById('backtest-status');
    if (st) st.textContent = errorText(err);
  }
}

// ---- sites view

interface ExposureRow { rank: number; site: string; name: string; sector: string; incidents: number; killed: number;
  exposure: number; nearest_km: number | null; latest: string | null; in_district?: { incidents: number; killed: number } }
interface ExposureResponse { rows?: ExposureRow[]; dataset?: string; radius_km?: number; window?: { from: string; to: string } }
interface Site { id: string; name: string; latitude: number; longitude: number; provenance?: { source_id: string } }
interface CountedIncident { latitude: number; longitude: number; date: string; killed: number; distance_km: number }
interface SiteExposureResponse { site: ExposureRow & { counted: CountedIncident[] } }
interface AlertRow { id: string; site_name: string; distance_km: number; created: string; read: string | null; incident: Incident }

// A briefing on the chosen area and a month (issue 15 §4, docs/briefing.md): the
// server writes it, marked and audited; these are links to it in HTML and PDF.
function briefingBox(): HTMLElement {
  const box = h('div', { class: 'briefing', id: 'briefing' }, h('h3', {}, t('briefing')));
  if (!may('export')) return h('div', {});
  if (!state.area) {
    box.append(h('p', { class: 'muted', id: 'briefing-hint' }, t('briefingChooseArea')));
    return box;
  }
  const month = (state.to ?? dataThrough ?? '').slice(0, 7);
  const input = h('input', { id: 'briefing-period', dir: 'ltr', inputmode: 'numeric', pattern: '\\d{4}-\\d{2}',
    placeholder: 'YYYY-MM', value: month, 'aria-describedby': 'briefing-help' }) as HTMLInputElement;
  const link = (format: 'html' | 'pdf') => h('a', { class: 'button', id: `briefing-${format}`, download: '' },
    format === 'pdf' ? 'PDF' : 'HTML');
  const html = link('html'), pdf = link('pdf');
  const update = () => {
    const ok = /^\d{4}-(0[1-9]|1[0-2])$/.test(input.value.trim());
    for (const [a, format] of [[html, 'html'], [pdf, 'pdf']] as const) {
      const q = new URLSearchParams({ period: input.value.trim(), area: state.area ?? '', lang: state.lang, format });
      if (ok) a.setAttribute('href', `/api/v1/briefing?${q}`); else a.removeAttribute('href');
      a.setAttribute('aria-disabled', String(!ok));
    }
  };
  input.addEventListener('input', update);
  update();
  box.append(h('label', { for: 'briefing-period' }, t('briefingMonth')), input, ' ', html, ' ', pdf,
    h('p', { class: 'muted', id: 'briefing-help' }, t('briefingHelp')));
  return box;
}

async function renderSites(panel: HTMLElement): Promise<void> {
  const radius = 50;
  const listBox = h('ol', { class: 'sites', id: 'site-list' });
  const alertsBox = h('section', { class: 'alerts', id: 'alerts' }, h('h2', {}, t('alerts')));
  const loading = h('p', { class: 'sub' }, t('loading'));
  panel.append(alertsBox, h('h2', {}, t('sites')), loading, listBox);
  void loadAlerts(alertsBox).catch(showError);
  const [exp, sites] = await Promise.all([
    get<ExposureResponse>('/api/v1/risk/exposure', { radius_km: radius }),
    get<{ items: Site[] }>('/api/v1/sites'),
  ]);
  loading.remove();
  const rows = exp.rows ?? [];
  // The list and the map count the same thing: the exposure's window, dataset
  // and radius, and only incidents placed to a point (exact or near).
  const win = exp.window;
  if (win) {
    listBox.before(h('p', { class: 'sub', id: 'exposure-scope', 'data-from': win.from, 'data-to': win.to },
      t('exposureScope', { km: num(radius), from: date(win.from), to: date(win.to) })));
  }
  const byId = new Map(sites.items.map((s) => [s.id, s]));
  // A site is a physical project; AidData's financing records of it are its
  // provenance (issue 17 item 3).
  const records = (s: Site | undefined) => (s?.provenance?.source_id ? s.provenance.source_id.split(',').length : 1);
  const maxE = Math.max(1e-9, ...rows.map((r) => r.exposure));
  const select = async (id: string) => {
    state.site = id;
    commit(false);
    const s = byId.get(id);
    if (!s || !map) return;
    map.flyTo(s.latitude, s.longitude, 9);
    // The map draws the site's footprint and exactly the incidents its row
    // counted (the exposure of this one site lists them), not an estimate.
    const [one, full] = await Promise.all([
      get<SiteExposureResponse>(`/api/v1/risk/exposure/${id}`, {
        radius_km: radius, dataset: exp.dataset ?? 'ucdp-ged', from: win?.from, to: win?.to }),
      get<Site & { geometry?: GeoJSON.Geometry }>(`/api/v1/sites/${id}`),
    ]);
    const counted = one.site.counted;
    const layers: Parameters<IncidentMap['setOverlay']>[0] = [];
    if (full.geometry) {
      layers.push(map.geoJsonLayer({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: full.geometry }] },
        () => ({ color: '#111827', weight: 2, fillOpacity: 0.15, fillColor: '#facc15' }), undefined, true));
    }
    layers.push(map.countedLayer(counted.map((c) => ({
      lat: c.latitude, lon: c.longitude,
      label: `${date(c.date)} · ${t('deathsCount', { n: c.killed })} · ${num(c.distance_km, 1)} km`,
    }))));
    map.setOverlay(layers);
    if (counted.length > 0) map.fitPoints([[s.latitude, s.longitude], ...counted.map((c): [number, number] => [c.latitude, c.longitude])]);
    const tag = document.getElementById(`site-near-${id}`);
    if (tag) {
      // Of every counted incident (the map draws the newest 2,000 of them).
      tag.textContent = t('nearbyFootprint', { n: one.site.incidents, km: radius });
      tag.setAttribute('data-count', String(one.site.incidents));
    }
    document.querySelectorAll('.site-item[aria-current]').forEach((e) => e.removeAttribute('aria-current'));
    document.querySelector(`.site-item[data-id="${id}"]`)?.setAttribute('aria-current', 'true');
  };
  for (const r of rows.slice(0, 100)) {
    const bar = h('span', { class: 'bar-fill' });
    bar.style.width = `${Math.max(2, (r.exposure / maxE) * 100)}%`;
    const inDistrict = r.in_district?.incidents ?? 0;
    const b = h('button', { type: 'button', class: 'site-item', 'data-id': r.site, 'data-incidents': r.incidents },
      h('span', { class: 'rank' }, num(r.rank)),
      h('span', { class: 'what' }, h('bdi', {}, r.name)),
      h('span', { class: 'sub' }, h('bdi', {}, r.sector), ` · ${t('incidentsCount', { n: r.incidents })} · ${t('deathsCount', { n: r.killed })}`),
      records(byId.get(r.site)) > 1 ? h('span', { class: 'sub records', 'data-records': records(byId.get(r.site)) }, t('financingRecords', { n: records(byId.get(r.site)) })) : '',
      inDistrict ? h('span', { class: 'sub in-district' }, t('inDistrict', { n: inDistrict })) : '',
      h('span', { class: 'expo-bar', 'aria-hidden': 'true' }, bar),
      h('span', { class: 'sub', id: `site-near-${r.site}` }, r.nearest_km !== null && r.nearest_km !== undefined ? `${t('nearest')}: ${num(r.nearest_km, 1)} km` : ''));
    b.addEventListener('click', () => void select(r.site));
    listBox.append(h('li', {}, b));
  }
  map?.showSites(rows.map((r) => byId.get(r.site)).filter((s): s is Site => !!s)
    .map((s) => ({ id: s.id, lat: s.latitude, lon: s.longitude, name: s.name })), state.site, (id) => void select(id));
  if (state.site) void select(state.site);

}

// ---- route view (issue 17 item 6, docs/routing.md)

interface PlannedRoute {
  kind: 'shortest' | 'lowest_risk';
  length_m: number;
  duration_s: number;
  risk: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  segments: { from: [number, number]; to: [number, number]; length_m: number; risk: number }[];
}
interface RoutePlan {
  routes: PlannedRoute[];
  as_of: string;
  window_days: number;
  incidents_used: number;
  lambda_s_per_unit: number;
  attribution: string;
}

// Routes read incidents near roads: the reading roles that plan movement.
function mayPlanRoutes(): boolean {
  return !!me && me.roles.some((r) => r === 'analyst' || r === 'committee' || r === 'site-security');
}

const ROUTE_COLORS = { shortest: '#4b5563', lowest_risk: '#047857', risky: '#b91c1c' };
let routeInputs = { from: '', to: '', asOf: '', days: '365' };

function minutes(s: number): string {
  return t('minutes', { n: num(s / 60, 1) });
}

async function renderRoute(panel: HTMLElement, legend: HTMLElement): Promise<void> {
  if (!mayPlanRoutes()) {
    panel.append(h('p', { class: 'sub' }, t('routeRole')));
    return;
  }
  const field = (id: string, label: string, el: HTMLElement) => [h('label', { for: id }, label), el];
  const from = h('input', { id: 'route-from', required: true, dir: 'ltr', inputmode: 'decimal', placeholder: '33.7290,73.0750', value: routeInputs.from });
  const to = h('input', { id: 'route-to', required: true, dir: 'ltr', inputmode: 'decimal', placeholder: '33.6500,73.0370', value: routeInputs.to });
  const [asOf, asOfEcho] = dateInput('route-asof', routeInputs.asOf);
  const days = h('input', { id: 'route-days', type: 'number', min: 1, max: 3650, step: 1, dir: 'ltr', value: routeInputs.days });
  const status = h('p', { class: 'status', role: 'status', id: 'route-status' });
  const result = h('div', { id: 'route-result' });
  const form = h('form', { class: 'report-form', id: 'route-form' },
    h('h2', {}, t('viewRoute')),
    h('p', { class: 'sub' }, t('routeHelp')),
    ...field('route-from', t('routeFrom'), from),
    ...field('route-to', t('routeTo'), to),
    h('div', { class: 'row2' },
      h('label', {}, h('span', {}, t('routeAsOf')), asOf, asOfEcho),
      h('label', {}, h('span', {}, t('routeDays')), days)),
    h('button', { type: 'submit', class: 'primary', id: 'route-go' }, t('routePlan')),
    status);
  panel.append(form, result);
  legend.append(h('ul', { class: 'swatches' },
    h('li', {}, swatch(ROUTE_COLORS.shortest), t('routeShortest')),
    h('li', {}, swatch(ROUTE_COLORS.lowest_risk), t('routeLowestRisk')),
    h('li', {}, swatch(ROUTE_COLORS.risky), t('routeRisky'))));
  let next: 'from' | 'to' = from.value ? 'to' : 'from';
  mapClick = (la, lo) => {
    const v = `${la.toFixed(5)},${lo.toFixed(5)}`;
    if (next === 'from') from.value = v; else to.value = v;
    next = next === 'from' ? 'to' : 'from';
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    routeInputs = { from: from.value.trim(), to: to.value.trim(), asOf: asOf.value, days: days.value || '365' };
    clear(result);
    status.className = 'status';
    status.textContent = t('loading');
    try {
      const plan = await get<RoutePlan>('/api/v1/route', {
        from: routeInputs.from, to: routeInputs.to, as_of: routeInputs.asOf || undefined, window_days: routeInputs.days,
      });
      status.textContent = '';
      showRoute(plan, result);
    } catch (err) {
      status.className = 'status error';
      status.setAttribute('role', 'alert');
      const code = err instanceof ApiError ? err.status : 0;
      status.textContent = code === 404 ? t('routeNotFound') : code === 400 ? t('routeBadInput')
        : errorText(err);
    }
  });
}

function showRoute(plan: RoutePlan, box: HTMLElement): void {
  const [shortest, safest] = plan.routes;
  const table = h('table', { class: 'grid', id: 'route-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('routeKind')), h('th', { scope: 'col' }, t('routeLength')),
      h('th', { scope: 'col' }, t('routeTime')), h('th', { scope: 'col' }, t('routeRisk')))),
    h('tbody', {}, ...plan.routes.map((r) => h('tr', { 'data-kind': r.kind },
      h('th', { scope: 'row' }, swatch(ROUTE_COLORS[r.kind]), t(r.kind === 'shortest' ? 'routeShortest' : 'routeLowestRisk')),
      h('td', { dir: 'ltr' }, `${num(r.length_m / 1000, 2)} km`),
      h('td', {}, minutes(r.duration_s)),
      h('td', { dir: 'ltr' }, num(r.risk, 3))))));
  const avoided = shortest.risk - safest.risk;
  const tradeoff = avoided > 0.0005
    ? t('routeTradeoff', { min: minutes(safest.duration_s - shortest.duration_s), risk: num(avoided, 3) })
    : t('routeSame');
  box.append(table,
    h('p', { id: 'route-tradeoff' }, tradeoff),
    h('p', { class: 'sub' }, t('routeBasis', { n: plan.incidents_used, days: plan.window_days, date: date(plan.as_of) })),
    h('p', { class: 'sub', id: 'route-attribution' }, plan.attribution));
  if (!map) return;
  const features: GeoJSON.Feature[] = [safest, shortest].map((r) => ({
    type: 'Feature', properties: { kind: r.kind }, geometry: r.geometry,
  }));
  for (const r of [shortest, safest]) {
    for (const s of r.segments) {
      features.push({ type: 'Feature', properties: { kind: 'risky', risk: s.risk }, geometry: { type: 'LineString', coordinates: [s.from, s.to] } });
    }
  }
  const layer = map.geoJsonLayer({ type: 'FeatureCollection', features }, (f) => {
    const kind = (f.properties?.kind ?? 'shortest') as keyof typeof ROUTE_COLORS;
    return {
      color: ROUTE_COLORS[kind], weight: kind === 'risky' ? 7 : kind === 'lowest_risk' ? 5 : 4,
      opacity: 0.9, dashArray: kind === 'shortest' ? '8 6' : undefined, className: `route-line route-${kind}`,
    };
  }, (f) => (f.properties?.kind === 'risky' ? t('routeRisky') : t(f.properties?.kind === 'shortest' ? 'routeShortest' : 'routeLowestRisk')), true);
  map.setOverlay([layer]);
  map.fitPoints([...shortest.geometry.coordinates, ...safest.geometry.coordinates]);
}

async function loadAlerts(alertsBox: HTMLElement): Promise<void> {
  if (!me?.roles.includes('site-security')) {
    alertsBox.append(h('p', { class: 'sub' }, t('alertsRole')));
    return;
  }
  const al = await get<{ alerts: AlertRow[]; unread: number }>('/api/v1/alerts');
  alertsBox.append(h('p', { class: 'sub', id: 'unread' }, t('unread', { n: al.unread })));
  if (!al.alerts.length) alertsBox.append(h('p', {}, t('noAlerts')));
  const ol = h('ol', { class: 'alert-list' });
  for (const a of al.alerts) {
    const li = h('li', { class: a.read ? 'read' : 'unread' },
      h('button', { type: 'button', class: 'link', onclick: () => void openIncident(a.incident.id) },
        h('bdi', {}, a.site_name), ': ', h('bdi', {}, a.incident.headline || a.incident.location),
        ` (${num(a.distance_km, 1)} km)`),
      h('span', { class: 'sub' }, date(a.incident.date_start)),
      a.read ? null : button(t('markRead'), async (b) => {
        await post(`/api/v1/alerts/${a.id}/read`, {});
        li.className = 'read';
        b.remove();
      }));
    ol.append(li);
  }
  alertsBox.append(ol);
}


// ---- committee view (issue 15 §1 and §5, docs/committee.md): the signed-in
// account's notices of overdue actions, and the actions it may read with an
// overdue view per organisation.

interface CommitteeAction {
  id: string; committee: string; title: string; owner_org: string; owner_account: string;
  due: string; status: string; marking: string;
}
interface ActionNote { id: string; at: string; author: string; org: string; text: string; status: string | null }
interface CommitteeNotice { id: number; due: string; raised: string; read: string | null; committee: string; action: CommitteeAction }
interface CommitteeRow { id: string; name: string; kind: string; members: string[] }
interface CommitteeDetail extends CommitteeRow {
  meetings: { id: string; date: string; place: string; virtual: boolean; agenda: string[]; present: string[] }[];
  decisions: { id: string; text: string; districts: string[] }[];
}

interface TeamRow {
  id: string; committee: string; name: string; mandate: string; members: string[]; districts: string[];
  area: GeoJSON.Geometry | null; start: string; end: string | null; marking: string;
}
interface ExerciseRow {
  id: string; committee: string; kind: string; title: string; scenario: string; start: string; end: string;
  participants: string[]; objectives: string[]; districts: string[]; findings: string; reported: string | null; marking: string;
}
interface ExerciseDetail extends ExerciseRow { lessons: { seq: number; text: string; action: CommitteeAction }[] }

// The committee's geography on the map: districts of the teams active today
// and of the exercises, and the teams' own areas.
const TEAM_COLOR = '#2563eb';
const EXERCISE_COLOR = '#f59e0b';

interface JudicialItem {
  id: string; reference: string; type: string; requesting: string; requested: string; state: string;
  deadline: string; last_move: string; marking: string; reminders: { kind: string; days: number }[];
}

interface JudicialDetail extends JudicialItem {
  offence: string; legal_basis: string; urgency: string; consultation: string; consultation_at: string;
  checklist: { ground: string; kind: string; source: string; text: string; blocked?: string;
    answer?: { applies: boolean; reason: string; at: string; by: string } }[];
  history: { at: string; by: string; from: string; to: string; note: string }[];
  assurances: { kind: string; requested: string; received: string }[];
}

const GROUND_KIND_KEYS = {
  mandatory: 'groundMandatory', optional: 'groundOptional', discretionary: 'groundDiscretionary',
} as const;

// One request's refusal-ground checklist (each ground: blocked with the
// convention's reason, answered with its reason, or open), the consultation,
// assurances and history. Ground texts are the UN Model Treaties' (English).
// Once a request is acknowledged, the parties' committee users answer the
// checklist and record the decision (the requested state's own, or, for a
// partner that runs no instance, as it arrives): each open ground gets a
// form, then the decision below the checklist. The server keeps every rule
// (blocked grounds, answers before a decision, the consultation before a
// refusal) and says why it refuses; `reload` shows the request as it is
// afterwards.
function judicialDecides(d: JudicialDetail): boolean {
  return !!me && (me.organisation === d.requested || me.organisation === d.requesting) &&
    may('manage-committee') && (d.state === 'acknowledged' || d.state === 'under_execution');
}

// A blocked ground is answered too (every ground is, before a decision), and
// only as not applying.
function groundForm(d: JudicialDetail, ground: string, blocked: boolean, reload: () => Promise<void>): HTMLElement {
  const id = `ground-${d.id}-${ground}`;
  const applies = h('select', { id: `${id}-applies`, 'aria-label': t('groundAnswerFor', { ground }) },
    h('option', { value: 'false' }, t('groundAnswerNotApplies')),
    ...(blocked ? [] : [h('option', { value: 'true' }, t('groundAnswerApplies'))]));
  const reason = h('input', { id: `${id}-reason`, type: 'text', maxlength: 1500, required: true });
  const out = h('p', { class: 'status', role: 'status' });
  const form = h('form', { class: 'ground-answer', 'data-ground': ground }, applies,
    h('label', { for: `${id}-reason` }, t('groundAnswerReason')), reason,
    h('button', { type: 'submit' }, t('groundAnswerSubmit')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await post(`/api/v1/judicial/${encodeURIComponent(d.id)}/answers`,
        { ground, applies: applies.value === 'true', reason: reason.value.trim() });
      await reload();
    } catch (err) { out.className = 'status error'; out.textContent = errorText(err); }
  });
  return form;
}

function decisionForm(d: JudicialDetail, reload: () => Promise<void>): HTMLElement {
  const id = `decide-${d.id}`;
  const outcome = h('select', { id: `${id}-outcome` },
    ...['executed', 'partially_executed', 'refused'].map((x) => h('option', { value: x }, judicialState(x))));
  const applying = d.checklist.filter((g) => g.answer?.applies && !g.blocked);
  const ground = h('select', { id: `${id}-ground` }, h('option', { value: '' }, t('judicialNoGround')),
    ...applying.map((g) => h('option', { value: g.ground }, g.ground)));
  const reason = h('input', { id: `${id}-reason`, type: 'text', maxlength: 1500 });
  const out = h('p', { class: 'status', role: 'status', id: `${id}-status` });
  const form = h('form', { class: 'judicial-decision' },
    h('label', { for: `${id}-outcome` }, t('judicialOutcome')), outcome,
    h('label', { for: `${id}-ground` }, t('judicialDecideGround')), ground,
    h('label', { for: `${id}-reason` }, t('judicialDecideReason')), reason,
    h('button', { type: 'submit', class: 'primary' }, t('judicialDecideSubmit')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { outcome: outcome.value, reason: reason.value.trim() };
    if (ground.value) body.ground = ground.value;
    try {
      await post(`/api/v1/judicial/${encodeURIComponent(d.id)}/decision`, body);
      await reload();
    } catch (err) { out.className = 'status error'; out.textContent = errorText(err); }
  });
  return form;
}

function judicialDetail(d: JudicialDetail, reload: () => Promise<void>): HTMLElement[] {
  const open = d.checklist.filter((g) => !g.answer && !g.blocked).length;
  const decides = judicialDecides(d);
  return [
    h('p', { class: 'sub' }, h('bdi', {}, d.offence), ' · ', h('bdi', {}, d.legal_basis), ' · ', h('bdi', {}, d.urgency)),
    h('h4', {}, t('judicialChecklist'), ' ', h('span', { class: 'sub', id: `checklist-open-${d.id}` }, t('groundsOpen', { n: open }))),
    h('div', { class: 'table-scroll' }, h('table', { class: 'incidents checklist' },
      h('thead', {}, h('tr', {}, ...[t('groundTitle'), t('groundKind'), t('groundAnswer')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...d.checklist.map((g) => h('tr', { 'data-ground': g.ground, class: g.blocked ? 'blocked' : g.answer ? 'answered' : 'open' },
        h('td', {}, h('bdi', { lang: 'en' }, g.text), h('br'), h('span', { class: 'sub' }, h('bdi', { lang: 'en' }, g.source))),
        h('td', {}, g.kind in GROUND_KIND_KEYS ? t(GROUND_KIND_KEYS[g.kind as keyof typeof GROUND_KIND_KEYS]) : g.kind),
        g.blocked
          ? h('td', {}, h('strong', {}, t('groundBlocked')), h('br'), h('bdi', { lang: 'en', class: 'sub' }, g.blocked),
            decides && !g.answer ? groundForm(d, g.ground, true, reload) : '')
          : g.answer
            ? h('td', {}, h('strong', {}, g.answer.applies ? t('groundApplies') : t('groundNotApplies')), h('br'),
              h('bdi', { class: 'sub' }, g.answer.reason))
            : h('td', {}, h('span', { class: 'sub' }, t('groundUnanswered')),
              decides ? groundForm(d, g.ground, false, reload) : '')))))),
    ...(decides ? [h('h4', {}, t('judicialDecideTitle')), decisionForm(d, reload)] : []),
    h('h4', {}, t('judicialConsultation')),
    d.consultation ? h('p', {}, h('bdi', {}, d.consultation), ' ', h('span', { class: 'sub' }, date(d.consultation_at.slice(0, 10))))
      : h('p', { class: 'sub' }, t('judicialNoConsultation')),
    ...(d.assurances.length ? [h('h4', {}, t('judicialAssurances')), h('ul', {}, ...d.assurances.map((a) => h('li', {},
      h('bdi', {}, a.kind), ' · ', t('assuranceAsked', { date: date(a.requested.slice(0, 10)) }),
      a.received ? ` · ${t('assuranceReceived', { date: date(a.received.slice(0, 10)) })}` : '')))] : []),
    h('h4', {}, t('judicialHistory')),
    h('ol', { class: 'history' }, ...d.history.map((x) => h('li', {},
      date(x.at.slice(0, 10)), ' · ', judicialState(x.from), ' → ', judicialState(x.to), ' · ', h('bdi', {}, x.by),
      x.note ? ' · ' : '', x.note ? h('bdi', {}, x.note) : ''))),
  ];
}

const JUDICIAL_TYPE_KEYS = {
  mla: 'judicialMla', extradition: 'judicialExtradition', transfer: 'judicialTransfer', assets: 'judicialAssets',
} as const;

function judicialState(state: string): string {
  const keys: Record<string, Parameters<typeof t>[0]> = {
    draft: 'judicialDraft', sent: 'judicialSent', acknowledged: 'judicialAcknowledged', under_execution: 'judicialUnderExecution',
    executed: 'judicialExecuted', partially_executed: 'judicialPartiallyExecuted', refused: 'judicialRefused', withdrawn: 'judicialWithdrawn',
  };
  return keys[state] ? t(keys[state]) : state;
}

let committeeInputs = { overdue: true, org: '' };

const ACTION_STATUS_KEYS = {
  open: 'actionOpen', in_progress: 'actionInProgress', done: 'actionDone', dropped: 'actionDropped',
} as const;

function actionStatus(s: string): string {
  return s in ACTION_STATUS_KEYS ? t(ACTION_STATUS_KEYS[s as keyof typeof ACTION_STATUS_KEYS]) : s;
}

// The "public perception" view (issue 14 §3, docs/committee.md): the public
// side's aggregate release per district and month, beside the incidents the
// reader may see and the district's vulnerability. A hidden count stays
// hidden: "<10" (1 to 9) or "—" (hidden to protect a small one), never summed.
type Published = number | { suppressed: true; reason: string };
interface PerceptionDistrict {
  district: string; name: string; province: string; vulnerability: number | null;
  incidents: number[]; grievances: Published[]; consultations: Published[];
  topics: { topic: string; months: Published[] }[];
}
interface Perception {
  release: { id: string; generated_at: string; cells: number; suppressed: number } | null;
  months: string[]; vulnerability_year: number | null; districts: PerceptionDistrict[];
}

function publishedText(v: Published): HTMLElement {
  if (typeof v === 'number') return h('span', {}, num(v));
  return v.reason === 'small'
    ? h('span', { class: 'suppressed', title: t('perceptionSmall'), 'data-reason': 'small' }, '<10')
    : h('span', { class: 'suppressed', title: t('perceptionHidden'), 'data-reason': v.reason }, '—');
}

async function renderPerception(box: HTMLElement): Promise<void> {
  box.append(h('h3', { id: 'perception-title' }, t('perceptionTitle')), h('p', { class: 'sub' }, t('perceptionHelp')));
  let v: Perception;
  try {
    v = await get<Perception>('/api/v1/public-perception');
  } catch (err) { showError(err); return; }
  if (!v.release) {
    box.append(h('p', { class: 'sub', id: 'perception-none' }, t('perceptionNone')));
    return;
  }
  box.append(h('p', { class: 'sub', id: 'perception-release' }, t('perceptionRelease', {
    date: date(v.release.generated_at.slice(0, 10)), suppressed: v.release.suppressed, cells: v.release.cells,
  }), ' ', h('span', { class: 'legend-note' }, '<10: ', t('perceptionSmall'), ' · —: ', t('perceptionHidden'))));
  if (!v.districts.length) {
    box.append(h('p', { class: 'sub' }, t('perceptionEmpty')));
    return;
  }
  // A row per month with anything to show, newest first; topics raised listed in the row.
  const head = h('tr', {}, ...[t('perceptionMonth'), t('perceptionIncidents'), t('perceptionGrievances'),
    t('perceptionConsultations'), t('perceptionTopics')].map((x) => h('th', { scope: 'col' }, x)));
  v.districts.forEach((d, i) => {
    const active = v.months.map((m, k) => k)
      .filter((k) => d.incidents[k] !== 0 || d.grievances[k] !== 0 || d.consultations[k] !== 0).reverse();
    const rows = active.map((k) => h('tr', { 'data-month': v.months[k] },
      h('th', { scope: 'row' }, month(`${v.months[k]}-01`)),
      h('td', { class: 'num' }, num(d.incidents[k])),
      h('td', { class: 'num' }, publishedText(d.grievances[k])),
      h('td', { class: 'num' }, publishedText(d.consultations[k])),
      h('td', { class: 'topics' }, ...d.topics.filter((x) => x.months[k] !== 0).map((x) =>
        h('span', { class: 'topic', 'data-topic': x.topic }, topicName(x.topic), ' ', publishedText(x.months[k]))))));
    const title = areaName(d.district) || d.name || d.district;
    box.append(h('details', { class: 'perception', 'data-district': d.district, open: i === 0 },
      h('summary', {}, h('bdi', {}, title), d.province ? h('span', { class: 'sub' }, ' · ', h('bdi', {}, areaNameIn(d.district.slice(0, 3), d.province))) : '',
        d.vulnerability !== null && v.vulnerability_year
          ? h('span', { class: 'sub' }, ' · ', t('perceptionVulnerability', { v: num(d.vulnerability, 1), year: String(v.vulnerability_year) }))
          : ''),
      rows.length ? h('table', { class: 'perception-table' },
        h('caption', { class: 'visually-hidden' }, `${t('perceptionTitle')}: ${title}`),
        h('thead', {}, head.cloneNode(true) as HTMLElement), h('tbody', {}, ...rows)) : '',
      v.months.length > active.length
        ? h('p', { class: 'sub quiet-months' }, t('perceptionQuiet', { n: v.months.length - active.length })) : ''));
  });
}

async function renderCommittee(panel: HTMLElement, legend: HTMLElement): Promise<void> {
  const status = h('p', { class: 'status', role: 'status', id: 'committee-status' });
  const noticesBox = h('section', { id: 'notices', 'aria-labelledby': 'notices-title' });
  const actionsBox = h('section', { id: 'committee-actions', 'aria-labelledby': 'actions-title' });
  panel.append(h('h2', {}, t('viewCommittee')), h('p', { class: 'sub' }, t('committeeHelp')), status, noticesBox, actionsBox);
  const today = new Date().toISOString().slice(0, 10);

  let committees: CommitteeRow[] = [];
  try {
    committees = (await get<{ items: CommitteeRow[] }>('/api/v1/committees')).items;
  } catch (err) { showError(err); return; }
  const committeeName = (id: string) => committees.find((c) => c.id === id)?.name ?? id;
  const orgs = [...new Set(committees.flatMap((c) => c.members))].sort();

  async function loadNotices(): Promise<void> {
    const r = await get<{ items: CommitteeNotice[]; unread: number }>('/api/v1/notices');
    clear(noticesBox);
    noticesBox.append(h('h3', { id: 'notices-title', tabindex: -1 }, t('noticesTitle'), ' ',
      h('span', { class: 'badge', id: 'notices-unread', 'aria-label': t('noticesUnread', { n: r.unread }) }, num(r.unread))));
    if (!r.items.length) {
      noticesBox.append(h('p', { class: 'sub', id: 'notices-none' }, t('noticesNone')));
      return;
    }
    noticesBox.append(h('ul', { class: 'notices' }, ...r.items.map((n) => {
      const li = h('li', { class: n.read ? 'notice read' : 'notice unread' },
        h('span', { class: 'notice-title' }, h('bdi', {}, n.action.title)),
        h('span', { class: 'sub' }, h('bdi', {}, n.committee), ' · ', t('dueOn', { date: date(n.due) }), ' · ',
          h('bdi', {}, n.action.owner_account ? `${n.action.owner_org}/${n.action.owner_account}` : n.action.owner_org),
          ' · ', h('bdi', {}, n.action.marking)));
      if (!n.read) {
        const b = h('button', { type: 'button', class: 'link mark-read', 'data-notice': String(n.id) }, t('markRead'));
        b.addEventListener('click', async () => {
          try {
            await post(`/api/v1/notices/${n.id}/read`, {});
            await loadNotices();
            status.textContent = t('noticeMarkedRead');
            document.getElementById('notices-title')?.focus();
          } catch (err) { showError(err); }
        });
        li.append(b);
      }
      return li;
    })));
  }

  const overdue = h('input', { type: 'checkbox', id: 'actions-overdue', checked: committeeInputs.overdue });
  const org = h('select', { id: 'actions-org' }, h('option', { value: '' }, t('anyOrganisation')),
    ...orgs.map((o) => h('option', { value: o, selected: o === committeeInputs.org }, o)));
  const list = h('div', { id: 'actions-list' });
  // Filters change faster than answers come back: only the newest request's
  // answer is drawn (an older one arriving last drew another organisation's rows).
  let actionsRequest = 0;
  async function loadActions(): Promise<void> {
    const request = ++actionsRequest;
    committeeInputs = { overdue: overdue.checked, org: org.value };
    const r = await get<{ items: CommitteeAction[] }>('/api/v1/actions', {
      overdue: committeeInputs.overdue ? 'true' : undefined, org: committeeInputs.org || undefined,
    });
    if (request !== actionsRequest) return;
    clear(list);
    if (!r.items.length) {
      list.append(h('p', { class: 'sub', id: 'actions-none' }, t('actionsNone')));
      return;
    }
    list.append(h('div', { class: 'table-scroll' }, h('table', { class: 'incidents', id: 'actions-table' },
      h('thead', {}, h('tr', {}, ...[t('actionTitle'), t('ownerOrganisation'), t('dueDate'), t('actionStatus')].map((c) =>
        h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...r.items.map((a) => {
        const late = (a.status === 'open' || a.status === 'in_progress') && a.due < today;
        const open = h('button', { type: 'button', class: 'link action-open', 'data-action': a.id, 'aria-expanded': 'false' },
          h('bdi', {}, a.title));
        open.addEventListener('click', () => { void toggleAction(a, open).catch(showError); });
        return h('tr', { class: late ? 'overdue' : '', 'data-action': a.id },
          h('td', {}, open, h('br'), h('span', { class: 'sub' }, h('bdi', {}, committeeName(a.committee)), ' · ', h('bdi', {}, a.marking))),
          h('td', {}, h('bdi', {}, a.owner_org)),
          h('td', {}, date(a.due), late ? h('span', { class: 'overdue-flag' }, ' ', t('overdue')) : ''),
          h('td', {}, actionStatus(a.status)));
      })))));
  }
  // An action opens, below its row, to its progress notes, oldest first, and, for the
  // committee role of the organisation that owns or assigned it, a form to report progress
  // (the status moves by compare-and-set: a change made meanwhile is a conflict, not lost).
  async function toggleAction(a: CommitteeAction, opener: HTMLButtonElement): Promise<void> {
    const row = opener.closest('tr') as HTMLTableRowElement;
    const next = row.nextElementSibling;
    if (next?.classList.contains('action-detail')) {
      next.remove();
      opener.setAttribute('aria-expanded', 'false');
      return;
    }
    if (opener.getAttribute('aria-busy') === 'true') return;  // already on its way
    opener.setAttribute('aria-busy', 'true');
    let d: CommitteeAction & { notes: ActionNote[]; author_org: string };
    try {
      d = await get(`/api/v1/actions/${encodeURIComponent(a.id)}`);
    } finally { opener.removeAttribute('aria-busy'); }
    const cell = h('td', { colspan: 4 });
    const detail = h('tr', { class: 'action-detail', id: `action-${a.id}` }, cell);
    row.after(detail);
    opener.setAttribute('aria-expanded', 'true');
    cell.append(h('h4', {}, t('actionProgress')), d.notes.length
      ? h('ol', { class: 'action-notes' }, ...d.notes.map((n) => h('li', {},
        h('span', { class: 'sub' }, date(n.at.slice(0, 10)), ' · ', h('bdi', {}, n.author ? `${n.org}/${n.author}` : n.org),
          n.status ? ` · ${actionStatus(n.status)}` : ''),
        n.text ? h('p', {}, h('bdi', {}, n.text)) : '')))
      : h('p', { class: 'sub action-no-notes' }, t('actionNoNotes')));
    const mine = !!me && (me.organisation === d.owner_org || me.organisation === d.author_org);
    if (!may('manage-committee') || !mine) return;
    const to = h('select', { id: `action-status-${a.id}` },
      ...['open', 'in_progress', 'done', 'dropped'].map((x) => h('option', { value: x, selected: x === d.status }, actionStatus(x))));
    // The server keeps notes of up to 20,000 bytes: 6,000 characters fit in any script.
    const note = h('textarea', { id: `action-note-${a.id}`, rows: 2, maxlength: 6000 });
    const out = h('p', { class: 'status', role: 'status' });
    const form = h('form', { class: 'action-update' },
      h('label', { for: `action-status-${a.id}` }, t('actionStatus')), to,
      h('label', { for: `action-note-${a.id}` }, t('actionNote')), note,
      h('button', { type: 'submit', class: 'primary' }, t('actionReport')), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body: Record<string, string> = {};
      if (to.value !== d.status) { body.from = d.status; body.to = to.value; }
      if (note.value.trim()) body.note = note.value.trim();
      if (!Object.keys(body).length) { out.className = 'status error'; out.textContent = t('actionNothing'); return; }
      try {
        await post(`/api/v1/actions/${encodeURIComponent(a.id)}`, body);
        status.className = 'status info';
        status.textContent = t('actionRecorded');
      } catch (err) {
        // The typed note stays; a conflict (changed meanwhile) shows the action as it is now.
        out.className = 'status error';
        out.textContent = errorText(err);
        if (!(err instanceof ApiError && err.status === 409)) return;
        status.className = 'status error';
        status.textContent = errorText(err);
      }
      // Shown as it is now (after this change, or after the one that won).
      await loadActions();
      const again = document.querySelector<HTMLButtonElement>(`#actions-table button.action-open[data-action="${CSS.escape(a.id)}"]`);
      if (again) { await toggleAction(a, again); again.focus(); }
    });
    cell.append(form);
  }

  const refresh = () => { loadActions().catch(showError); };
  overdue.addEventListener('change', refresh);
  org.addEventListener('change', refresh);
  actionsBox.append(h('h3', { id: 'actions-title' }, t('actionsTitle')),
    h('div', { class: 'actions-filters' },
      h('label', { class: 'check', for: 'actions-overdue' }, overdue, h('span', {}, t('overdueOnly'))),
      h('label', { class: 'owner', for: 'actions-org' }, h('span', {}, t('ownerOrganisation')), org)),
    list);
  // The committees, each opening to its meetings and decisions (read on demand).
  const committeesBox = h('section', { id: 'committees', 'aria-labelledby': 'committees-title' },
    h('h3', { id: 'committees-title' }, t('committeesTitle')));
  if (!committees.length) committeesBox.append(h('p', { class: 'sub' }, t('committeesNone')));
  for (const c of committees) {
    const body = h('div', { class: 'committee-body' });
    const box = h('details', { class: 'committee', 'data-committee': c.id },
      h('summary', {}, h('bdi', {}, c.name), ' ', h('span', { class: 'sub' },
        t(c.kind === 'regional' ? 'committeeRegional' : c.kind === 'un' ? 'committeeUn' : 'committeeBilateral'), ' · ',
        h('bdi', {}, c.members.join(', ')))),
      body);
    box.addEventListener('toggle', async () => {
      if (!box.open || body.childElementCount) return;
      try {
        const d = await get<CommitteeDetail>(`/api/v1/committees/${encodeURIComponent(c.id)}`);
        body.append(h('h4', {}, t('meetingsTitle')), d.meetings.length
          ? h('ul', { class: 'meetings' }, ...d.meetings.map((m) => h('li', {},
            h('span', { class: 'notice-title' }, date(m.date), ' · ', m.virtual ? t('meetingVirtual') : h('bdi', {}, m.place)),
            m.present.length ? h('span', { class: 'sub' }, t('meetingPresent'), ' ', h('bdi', {}, m.present.join(', '))) : '',
            m.agenda.length ? h('ol', {}, ...m.agenda.map((a) => h('li', {}, h('bdi', {}, a)))) : '')))
          : h('p', { class: 'sub' }, t('meetingsNone')),
        h('h4', {}, t('decisionsTitle')), d.decisions.length
          ? h('ul', { class: 'decisions' }, ...d.decisions.map((x) => h('li', {},
            h('bdi', {}, x.text),
            x.districts.length ? h('span', { class: 'sub' }, ' · ', x.districts.map((p) => areaName(p) || p).join(', ')) : '')))
          : h('p', { class: 'sub' }, t('decisionsNone')));
      } catch (err) { showError(err); }
    });
    committeesBox.append(box);
  }
  panel.append(committeesBox);
  const perceptionBox = h('section', { id: 'perception', 'aria-labelledby': 'perception-title' });
  committeesBox.before(perceptionBox);
  void renderPerception(perceptionBox);

  // Judicial-assistance requests (by reference only) with their clocks.
  const judicialBox = h('section', { id: 'judicial', 'aria-labelledby': 'judicial-title' },
    h('h3', { id: 'judicial-title' }, t('judicialTitle')));
  panel.append(judicialBox);
  async function loadJudicial(): Promise<void> {
    const r = await get<{ items: JudicialItem[] }>('/api/v1/judicial');
    if (!r.items.length) {
      judicialBox.append(h('p', { class: 'sub', id: 'judicial-none' }, t('judicialNone')));
      return;
    }
    judicialBox.append(h('ul', { class: 'notices judicial' }, ...r.items.map((j) => {
      const body = h('div', { class: 'committee-body' });
      const box = h('details', { class: 'judicial-request' },
        h('summary', {}, h('span', { class: 'notice-title' }, h('bdi', {}, j.reference || j.id.slice(0, 8)), ' · ',
          t(JUDICIAL_TYPE_KEYS[j.type as keyof typeof JUDICIAL_TYPE_KEYS] ?? 'judicialMla'), ' · ',
          h('bdi', {}, `${j.requesting} → ${j.requested}`))),
        h('span', { class: 'sub' }, t('judicialState', { state: judicialState(j.state), date: date(j.last_move) }),
          j.deadline ? ` · ${t('dueOn', { date: date(j.deadline) })}` : '', ' · ', h('bdi', {}, j.marking)),
        ...j.reminders.map((m) => h('span', { class: 'overdue-flag reminder' },
          t(m.kind === 'unacknowledged' ? 'reminderUnacknowledged' : m.kind === 'no-progress' ? 'reminderNoProgress' : 'reminderPastDeadline',
            { n: m.days }))),
        body);
      // Drawn again after an answer or a decision, as the server has it then.
      const show = async (): Promise<void> => {
        const d = await get<JudicialDetail>(`/api/v1/judicial/${encodeURIComponent(j.id)}`);
        body.replaceChildren(...judicialDetail(d, show));
        box.setAttribute('data-state', d.state);
      };
      box.addEventListener('toggle', async () => {
        if (!box.open || body.childElementCount) return;
        try { await show(); } catch (err) { showError(err); }
      });
      return h('li', { class: j.reminders.length ? 'notice unread' : 'notice read', 'data-request': j.id }, box);
    })));
  }
  // Joint teams active today and the exercises, listed and drawn on the map.
  const teamsBox = h('section', { id: 'teams', 'aria-labelledby': 'teams-title' },
    h('h3', { id: 'teams-title' }, t('teamsTitle')));
  const exercisesBox = h('section', { id: 'exercises', 'aria-labelledby': 'exercises-title' },
    h('h3', { id: 'exercises-title' }, t('exercisesTitle')));
  judicialBox.before(teamsBox, exercisesBox);
  const places = (districts: string[]) => districts.map((p) => areaName(p) || p).join(', ');
  async function loadTeamsAndExercises(): Promise<void> {
    const [teams, exercises] = await Promise.all([
      get<{ items: TeamRow[] }>('/api/v1/teams', { on: today }),
      get<{ items: ExerciseRow[] }>('/api/v1/exercises'),
    ]);
    teamsBox.append(teams.items.length
      ? h('ul', { class: 'notices teams' }, ...teams.items.map((x) => h('li', { class: 'notice read', 'data-team': x.id },
        h('span', { class: 'notice-title' }, h('bdi', {}, x.name), ' · ', h('bdi', {}, x.members.join(', '))),
        h('span', { class: 'sub' }, h('bdi', {}, x.mandate)),
        h('span', { class: 'sub' }, t('periodFrom', { from: date(x.start), to: x.end ? date(x.end) : t('openEnded') }),
          x.districts.length ? ` · ${places(x.districts)}` : '', x.area ? ` · ${t('teamAreaDrawn')}` : '',
          ' · ', h('bdi', {}, x.marking)))))
      : h('p', { class: 'sub', id: 'teams-none' }, t('teamsNone')));
    exercisesBox.append(exercises.items.length
      ? h('div', {}, ...exercises.items.map((x) => {
        const body = h('div', { class: 'committee-body' });
        const box = h('details', { class: 'committee exercise', 'data-exercise': x.id },
          h('summary', {}, h('bdi', {}, x.title), ' ', h('span', { class: 'sub' },
            t(x.kind === 'training' ? 'exerciseTraining' : 'exerciseJoint'), ' · ',
            x.end !== x.start ? t('periodFrom', { from: date(x.start), to: date(x.end) }) : date(x.start), ' · ',
            h('bdi', {}, x.participants.join(', ')), ' · ', x.reported ? t('exerciseReported') : t('exerciseNotReported'))),
          body);
        box.addEventListener('toggle', async () => {
          if (!box.open || body.childElementCount) return;
          try {
            const d = await get<ExerciseDetail>(`/api/v1/exercises/${encodeURIComponent(x.id)}`);
            body.append(
              d.scenario ? h('p', {}, h('bdi', {}, d.scenario)) : '',
              d.districts.length ? h('p', { class: 'sub' }, places(d.districts)) : '',
              d.objectives.length ? h('ol', { class: 'objectives' }, ...d.objectives.map((o) => h('li', {}, h('bdi', {}, o)))) : '',
              h('h4', {}, t('findingsTitle')),
              d.findings ? h('p', { class: 'findings' }, h('bdi', {}, d.findings)) : h('p', { class: 'sub' }, t('exerciseNotReported')),
              h('h4', {}, t('lessonsTitle')),
              d.lessons.length
                ? h('ol', { class: 'lessons' }, ...d.lessons.map((l) => h('li', { 'data-action': l.action.id },
                  h('bdi', {}, l.text), h('span', { class: 'sub' }, ' · ', h('bdi', {}, l.action.owner_org), ' · ',
                    t('dueOn', { date: date(l.action.due) }), ' · ', actionStatus(l.action.status)))))
                : h('p', { class: 'sub' }, t('lessonsNone')));
          } catch (err) { showError(err); }
        });
        return box;
      }))
      : h('p', { class: 'sub', id: 'exercises-none' }, t('exercisesNone')));
    // The map: team districts over exercise districts, team areas outlined.
    if (!map) return;
    const teamDistricts = new Map<string, string[]>();
    const exerciseDistricts = new Map<string, string[]>();
    for (const x of teams.items) for (const p of x.districts) teamDistricts.set(p, [...(teamDistricts.get(p) ?? []), x.name]);
    for (const x of exercises.items) for (const p of x.districts) exerciseDistricts.set(p, [...(exerciseDistricts.get(p) ?? []), x.title]);
    const shown: GeoJSON.Feature[] = [];
    if (teamDistricts.size || exerciseDistricts.size) {
      const adm2 = await map.loadDistricts();
      shown.push(...adm2.features.filter((f) => {
        const p = String(f.properties?.pcode);
        return teamDistricts.has(p) || exerciseDistricts.has(p);
      }));
      map.setChoropleth(2, (p) => teamDistricts.has(p) ? TEAM_COLOR : exerciseDistricts.has(p) ? EXERCISE_COLOR : null,
        (p) => [areaName(p) || p, ...(teamDistricts.get(p) ?? []), ...(exerciseDistricts.get(p) ?? [])].join(' · '));
    }
    const areas: GeoJSON.Feature[] = teams.items.filter((x) => x.area).map((x) => ({
      type: 'Feature', geometry: x.area as GeoJSON.Geometry, properties: { name: x.name },
    }));
    // The committee's geography fills the view.
    map.fitFeatures([...shown, ...areas]);
    if (areas.length) {
      map.setOverlay([map.geoJsonLayer({ type: 'FeatureCollection', features: areas },
        () => ({ color: TEAM_COLOR, weight: 2.5, fillColor: TEAM_COLOR, fillOpacity: 0.2, className: 'team-area' }),
        (f) => String(f.properties?.name ?? ''), true)]);
    }
    legend.append(h('div', { class: 'committee-legend', id: 'committee-legend' },
      h('h2', {}, t('committeeMapTitle')),
      h('p', {}, swatch(TEAM_COLOR), ' ', t('legendTeam')),
      h('p', {}, swatch(EXERCISE_COLOR), ' ', t('legendExercise'))));
  }
  try {
    await Promise.all([loadNotices(), loadActions(), loadJudicial(), loadTeamsAndExercises()]);
  } catch (err) { showError(err); }
}

// ---- report view

async function renderReport(panel: HTMLElement): Promise<void> {
  const status = h('p', { class: 'status', role: 'status', id: 'report-status' });
  const field = (id: string, label: string, el: HTMLElement) => [h('label', { for: id }, label), el];
  const headline = h('input', { id: 'r-headline', required: true, maxlength: 200 });
  const desc = h('textarea', { id: 'r-description', rows: 4 });
  const [dateIn, dateEcho] = dateInput('r-date', new Date().toISOString().slice(0, 10), true);
  const cat = h('select', { id: 'r-category' }, ...CATEGORIES.map((c) => h('option', { value: c }, categoryName(c))));
  const lat = h('input', { id: 'r-lat', type: 'number', step: 'any', min: -90, max: 90, dir: 'ltr' });
  const lon = h('input', { id: 'r-lon', type: 'number', step: 'any', min: -180, max: 180, dir: 'ltr' });
  const killed = h('input', { id: 'r-killed', type: 'number', min: 0, step: 1, value: 0, dir: 'ltr' });
  const marking = h('select', { id: 'r-marking' }, ...TLPS.map((m) => h('option', { value: m, selected: m === 'TLP:AMBER' }, m)));
  const form = h('form', { class: 'report-form', id: 'report-form' },
    h('h2', {}, t('report')),
    ...field('r-headline', t('headline'), headline),
    ...field('r-description', t('description'), desc),
    ...field('r-date', t('dateStart'), dateIn), dateEcho,
    ...field('r-category', t('category'), cat),
    h('div', { class: 'row2' }, h('label', {}, h('span', {}, t('latitude')), lat), h('label', {}, h('span', {}, t('longitude')), lon)),
    h('p', { class: 'sub' }, t('pickOnMap')),
    ...field('r-killed', t('killed'), killed),
    ...field('r-marking', t('marking'), marking),
    h('button', { type: 'submit', class: 'primary', id: 'r-submit' }, t('submit')),
    status);
  mapClick = (la, lo) => {
    lat.value = la.toFixed(5);
    lon.value = lo.toFixed(5);
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      headline: headline.value.trim(), description: desc.value.trim(), date_start: dateIn.value,
      category: cat.value, marking: marking.value, killed: Number(killed.value || 0),
    };
    if (lat.value && lon.value) { body.latitude = Number(lat.value); body.longitude = Number(lon.value); }
    try {
      const res = await post<Incident>('/api/v1/incidents', body);
      status.className = 'status info';
      status.textContent = t('reportFiled', { id: res.id });
      status.setAttribute('data-id', res.id);
      map?.forget();
      void refreshMap();
    } catch (err) {
      status.className = 'status error';
      status.textContent = t('reportFailed', { why: errorText(err) });
    }
  });
  const pending = h('section', { class: 'pending', id: 'pending' }, h('h2', {}, t('pendingRequests')));
  // Filing a report is an analyst's; anyone on this screen sees the pending marking requests.
  if (may('create-incident')) panel.append(form);
  panel.append(pending);
  await pendingRequests(pending);
}

// The marking requests waiting for a decision by somebody else than their
// requester (the report screen and the admin console).
async function pendingRequests(pending: HTMLElement): Promise<void> {
  try {
    const reqs = await get<{ items?: any[]; requests?: any[] }>('/api/v1/marking-requests', { status: 'pending' });
    const items = reqs.items ?? reqs.requests ?? [];
    const mine = items.filter((r) => r.requester !== me?.username);
    const own = items.filter((r) => r.requester === me?.username);
    if (!mine.length) pending.append(h('p', { class: 'sub' }, t('noPending')));
    // What this user asked for and another must decide (analysts; an administrator asks for nothing).
    if (own.length) {
      pending.append(h('h3', {}, t('myPendingRequests')), h('ul', { class: 'own-requests', id: 'own-requests' },
        ...own.map((r) => h('li', { 'data-object': r.object },
          h('button', { type: 'button', class: 'link', onclick: () => void openIncident(r.object) }, r.object),
          ` ${r.from?.marking} → ${r.to?.marking}`))));
    }
    for (const r of mine) {
      const st = h('span', { class: 'sub' });
      pending.append(h('div', { class: 'request', 'data-id': r.id, 'data-object': r.object },
        h('p', {}, `${r.requester}: ${r.from?.marking} → ${r.to?.marking}`),
        h('button', { type: 'button', class: 'link', onclick: () => void openIncident(r.object) }, r.object),
        h('div', { class: 'buttons' },
          button(t('approve'), async () => { await post(`/api/v1/marking-requests/${r.id}/approve`, {}); st.textContent = t('approved'); }, `approve-${r.id}`),
          button(t('reject'), async () => { await post(`/api/v1/marking-requests/${r.id}/reject`, {}); st.textContent = t('rejected'); }, `reject-${r.id}`)),
        st));
    }
  } catch (err) { showError(err); }
}

// ---- boot

async function boot(): Promise<void> {
  try {
    // entry.ts has asked for the user and the first view's data already.
    void loadFirstData().catch(() => {});
    const user = await whoAmI();
    if (user) {
      me = user;
      renderApp();
      return;
    }
  } catch { /* fall through to sign-in */ }
  renderSignIn();
}

void boot();
