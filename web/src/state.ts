// The whole view state of the application, and its round trip through the
// URL's query string: a link reopens the same view (issue 5).

export type View = 'incidents' | 'risk' | 'sites' | 'organisations' | 'route' | 'report' | 'links' | 'committee' | 'admin';
export type Lang = 'en' | 'zh' | 'ur';
export type Choropleth = 'none' | 'impact' | 'vulnerability';
// The incident table's order (the API's `sort`).
export type Sort = 'date_desc' | 'date_asc' | 'deaths_desc' | 'deaths_asc';
export type TableRows = 25 | 50 | 100;
export const TABLE_ROWS: readonly TableRows[] = [25, 50, 100];
// Which links between sources' records the review screen lists (the API's `state`).
export type LinkState = 'candidate' | 'confirmed' | 'rejected' | 'all';
export const LINK_STATES: readonly LinkState[] = ['candidate', 'confirmed', 'rejected', 'all'];
export const LINK_OFFSET_MAX = 1000000; // the API's bound on `offset`

export interface ViewState {
  view: View;
  lang: Lang;
  from: string | null; // YYYY-MM-DD
  to: string | null;
  categories: string[];
  area: string | null; // P-code
  text: string | null;
  lat: number;
  lon: number;
  zoom: number;
  choropleth: Choropleth;
  level: 1 | 2;
  hotspots: boolean;
  forecast: boolean;
  incident: string | null; // open incident id
  site: string | null; // selected site id
  table: boolean; // the incident table is open
  sort: Sort;
  rows: TableRows; // the incident table's page size
  points: boolean; // incidents drawn on the map (off: risk layers read clearly)
  org: string | null; // the armed organisation whose page is open
  links: LinkState; // the links the review screen lists
  linkOffset: number; // and from which one (the API's offset paging)
}

export const VIEWS: readonly View[] = ['incidents', 'risk', 'sites', 'organisations', 'route', 'report', 'links', 'committee', 'admin'];
export const LANGS: readonly Lang[] = ['en', 'zh', 'ur'];
const CHOROPLETHS: readonly Choropleth[] = ['none', 'impact', 'vulnerability'];
export const SORTS: readonly Sort[] = ['date_desc', 'date_asc', 'deaths_desc', 'deaths_asc'];

export function defaultState(): ViewState {
  return {
    view: 'incidents',
    lang: 'en',
    from: null,
    to: null,
    categories: [],
    area: null,
    text: null,
    lat: 30.4,
    lon: 69.6,
    zoom: 5.5,
    choropleth: 'none',
    level: 1,
    hotspots: false,
    forecast: false,
    incident: null,
    site: null,
    table: false,
    sort: 'date_desc',
    rows: 25,
    points: true,
    org: null,
    links: 'candidate',
    linkOffset: 0,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PCODE = /^PK\d{0,6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CATEGORY = /^[a-z-]{2,40}$/;
const ORG = /^[a-z0-9-]{1,64}$/;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// The query string ("?v=risk&lang=ur&...") for `s`; defaults are left out so
// links stay short. Keys are written in a fixed order.
export function encodeState(s: ViewState): string {
  const d = defaultState();
  const p = new URLSearchParams();
  if (s.view !== d.view) p.set('v', s.view);
  if (s.lang !== d.lang) p.set('lang', s.lang);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.categories.length) p.set('cat', [...s.categories].sort().join(','));
  if (s.area) p.set('area', s.area);
  if (s.text) p.set('q', s.text);
  p.set('map', `${round(s.lat, 4)},${round(s.lon, 4)},${round(s.zoom, 2)}`);
  if (s.choropleth !== d.choropleth) p.set('ch', `${s.choropleth}-${s.level}`);
  const layers = [s.hotspots ? 'hotspots' : '', s.forecast ? 'forecast' : ''].filter(Boolean);
  if (layers.length) p.set('layers', layers.join(','));
  if (s.incident) p.set('incident', s.incident);
  if (s.site) p.set('site', s.site);
  if (s.table) p.set('table', '1');
  if (s.sort !== d.sort) p.set('sort', s.sort);
  if (s.rows !== d.rows) p.set('rows', String(s.rows));
  if (!s.points) p.set('pts', '0');
  if (s.org) p.set('org', s.org);
  if (s.links !== d.links) p.set('ls', s.links);
  if (s.linkOffset !== d.linkOffset) p.set('lo', String(s.linkOffset));
  const q = p.toString();
  return q ? `?${q}` : '';
}

// The state a query string describes. Unknown keys and invalid values fall
// back to the defaults (a hand-edited link never breaks the application).
export function decodeState(search: string): ViewState {
  const s = defaultState();
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const v = p.get('v');
  if (v && (VIEWS as readonly string[]).includes(v)) s.view = v as View;
  const lang = p.get('lang');
  if (lang && (LANGS as readonly string[]).includes(lang)) s.lang = lang as Lang;
  const from = p.get('from');
  if (from && DATE.test(from)) s.from = from;
  const to = p.get('to');
  if (to && DATE.test(to)) s.to = to;
  const cat = p.get('cat');
  if (cat) s.categories = cat.split(',').filter((c) => CATEGORY.test(c)).sort();
  const area = p.get('area');
  if (area && PCODE.test(area)) s.area = area;
  const q = p.get('q');
  if (q && q.trim()) s.text = q.trim().slice(0, 200);
  const map = p.get('map');
  if (map) {
    const [lat, lon, zoom] = map.split(',').map(Number);
    if ([lat, lon, zoom].every(Number.isFinite) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 &&
        zoom >= 2 && zoom <= 18) {
      s.lat = lat;
      s.lon = lon;
      s.zoom = zoom;
    }
  }
  const ch = p.get('ch');
  if (ch) {
    const [name, level] = ch.split('-');
    if ((CHOROPLETHS as readonly string[]).includes(name) && (level === '1' || level === '2')) {
      s.choropleth = name as Choropleth;
      s.level = level === '1' ? 1 : 2;
    }
  }
  const layers = (p.get('layers') ?? '').split(',');
  s.hotspots = layers.includes('hotspots');
  s.forecast = layers.includes('forecast');
  const incident = p.get('incident');
  if (incident && UUID.test(incident)) s.incident = incident.toLowerCase();
  const site = p.get('site');
  if (site && UUID.test(site)) s.site = site.toLowerCase();
  s.table = p.get('table') === '1';
  const sort = p.get('sort');
  if (sort && (SORTS as readonly string[]).includes(sort)) s.sort = sort as Sort;
  const rows = Number(p.get('rows'));
  if ((TABLE_ROWS as readonly number[]).includes(rows)) s.rows = rows as TableRows;
  s.points = p.get('pts') !== '0';
  const org = p.get('org');
  if (org && ORG.test(org)) s.org = org;
  const ls = p.get('ls');
  if (ls && (LINK_STATES as readonly string[]).includes(ls)) s.links = ls as LinkState;
  const lo = p.get('lo');
  if (lo && /^\d{1,7}$/.test(lo) && Number(lo) <= LINK_OFFSET_MAX) s.linkOffset = Number(lo);
  return s;
}

// The API filter parameters of the state (shared by the map, the timeline and exports).
export function filterParams(s: ViewState): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.from) out.from = s.from;
  if (s.to) out.to = s.to;
  if (s.categories.length) out.category = s.categories.join(',');
  if (s.area) out.area = s.area;
  if (s.text) out.text = s.text;
  // The organisation in focus filters the incidents view (its page is the organisations view).
  if (s.org && s.view === 'incidents') out.organisation = s.org;
  return out;
}
