// The map: Leaflet with no tile layer. The base map is drawn from the
// boundaries the API serves (/api/v1/areas.geojson), incidents come
// aggregated on a server-side grid at low zoom and as single points when few
// enough are in view. The map is never mirrored, whatever the language.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { ApiError, get, type GridCell, type GridResponse, type Incident, type Place, type PlacesResponse } from './api';
import { categoryColor } from './colors';
import { fanOffsets, SPIDERFY_MAX } from './fan';
import { cellDegFor } from './grid';
import { h } from './dom';
import { categoryName, currentLang, date, num, precisionName, t } from './i18n';

export const POINTS_LIMIT = 1500;

export interface MapHandlers {
  onMove(lat: number, lon: number, zoom: number): void;
  onIncident(id: string): void;
  onAreaClick?(pcode: string): void;
}

export { cellDegFor } from './grid';

export class IncidentMap {
  readonly map: L.Map;
  private provinces = L.layerGroup();
  private districts = L.layerGroup();
  private incidents = L.layerGroup();
  private overlay = L.layerGroup();
  private siteLayer = L.layerGroup();
  private placeLayer = L.layerGroup();
  private foundLayer = L.layerGroup();
  private places: Place[] = [];
  private choroplethLayer: L.GeoJSON | null = null;
  // Incidents and cells are SVG elements (the boundaries stay on the shared
  // canvas): each one can take the keyboard focus and be operated with Enter.
  private markerRenderer = L.svg({ padding: 0.5 });
  // A marker spread out (spiderfied): its incidents' markers drawn in a pane of
  // their own above every other marker and count, their legs under the counts.
  private spiderRenderer: L.Renderer;
  private spiderLayer = L.layerGroup();
  private spider: { cluster: L.CircleMarker; fillOpacity: number } | null = null;
  private seq = 0;
  private moveTimer = 0;
  private abort: AbortController | null = null;
  lastGrid: GridResponse | null = null;
  mode: 'grid' | 'points' = 'grid';

  constructor(el: HTMLElement, lat: number, lon: number, zoom: number, private handlers: MapHandlers) {
    this.map = L.map(el, {
      center: [lat, lon], zoom, minZoom: 4, maxZoom: 13, zoomSnap: 0.5, preferCanvas: true,
      worldCopyJump: false, maxBounds: [[15, 50], [45, 90]], keyboard: true,
    });
    this.map.attributionControl.setPrefix('Leaflet');
    this.districts.addTo(this.map);
    this.provinces.addTo(this.map);
    this.siteLayer.addTo(this.map);
    this.overlay.addTo(this.map);
    this.incidents.addTo(this.map);
    this.placeLayer.addTo(this.map);
    this.foundLayer.addTo(this.map);
    this.map.createPane('spider').style.zIndex = '610';
    this.spiderRenderer = L.svg({ pane: 'spider', padding: 0.5 });
    this.spiderLayer.addTo(this.map);
    // A spread marker gathers again on a click on the map, on zooming, and on
    // Escape anywhere in the map (Leaflet's own Escape handling closes popups only).
    this.map.on('click zoomstart', () => this.gather());
    this.map.getContainer().addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.spider) {
        e.stopPropagation();
        this.gather(true);
      }
    });
    this.map.on('moveend', () => {
      const c = this.map.getCenter();
      this.handlers.onMove(c.lat, c.lng, this.map.getZoom());
    });
    this.map.on('zoomend', () => {
      this.updateDistrictVisibility();
      this.drawPlaces();
    });
  }

  // The gazetteer's places as labels (docs/places.md): the 500 most populous,
  // fewer the farther out (by population), in the reader's language where the
  // place has a name in it. Resolves to the attribution, or null when no
  // gazetteer is loaded (the map works without one).
  async loadPlaces(): Promise<string | null> {
    try {
      const r = await get<PlacesResponse>('/api/v1/places', { limit: 500 });
      this.places = r.items;
      this.drawPlaces();
      return r.attribution;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  static placeName(p: Place): string {
    const lang = currentLang();
    return (lang === 'ur' && p.names.ur) || (lang === 'zh' && p.names.zh) || p.name;
  }

  drawPlaces(): void {
    this.placeLayer.clearLayers();
    const zoom = this.map.getZoom();
    const least = zoom < 6 ? 1_000_000 : zoom < 7 ? 400_000 : zoom < 8 ? 150_000 : zoom < 9 ? 50_000 : zoom < 10 ? 15_000 : 0;
    for (const p of this.places) {
      if (p.population < least) continue;
      const big = p.population >= 1_000_000 || p.feature_code === 'PPLC' || p.feature_code === 'PPLA';
      const label = h('span', { class: big ? 'place-label major' : 'place-label', lang: currentLang() },
        h('bdi', {}, IncidentMap.placeName(p)));
      L.marker([p.lat, p.lon], {
        icon: L.divIcon({ className: 'place-icon', html: label, iconSize: [0, 0] }),
        interactive: false, keyboard: false,
      }).addTo(this.placeLayer);
    }
  }

  // Centres the map on a place found by search and rings it.
  showPlace(p: Place): void {
    this.foundLayer.clearLayers();
    L.circleMarker([p.lat, p.lon], {
      radius: 14, color: '#b45309', weight: 3, fill: false, interactive: false, className: 'place-found',
    }).addTo(this.foundLayer);
    this.map.setView([p.lat, p.lon], Math.max(this.map.getZoom(), p.population >= 500_000 ? 10 : 11));
  }

  // The country and provinces first (the first view); districts when needed.
  async loadBase(): Promise<string[]> {
    const [adm0, adm1] = await Promise.all([
      get<GeoJSON.FeatureCollection & { attribution: { licence: { attribution: string } }[] }>(
        '/api/v1/areas.geojson', { level: 0, tolerance: 0.01 }),
      get<GeoJSON.FeatureCollection>('/api/v1/areas.geojson', { level: 1, tolerance: 0.01 }),
    ]);
    const land = L.geoJSON(adm0, {
      interactive: false,
      style: { color: '#5b6b7a', weight: 1.5, fillColor: '#fbfaf7', fillOpacity: 1 },
    });
    land.addTo(this.map);
    land.bringToBack();
    this.land = land;
    this.provinceGeo = adm1;
    L.geoJSON(adm1, {
      interactive: false,
      style: { color: '#7d8a96', weight: 1.2, fill: false },
    }).addTo(this.provinces);
    this.updateDistrictVisibility();
    return adm0.attribution?.map((a) => a.licence.attribution) ?? [];
  }

  private districtsLoading: Promise<GeoJSON.FeatureCollection> | null = null;

  loadDistricts(): Promise<GeoJSON.FeatureCollection> {
    if (!this.districtsLoading) {
      this.districtsLoading = get<GeoJSON.FeatureCollection>('/api/v1/areas.geojson', { level: 2, tolerance: 0.01 })
        .then((adm2) => {
          this.districtGeo = adm2;
          L.geoJSON(adm2, {
            interactive: false,
            style: { color: '#b8c2cc', weight: 0.6, fill: false },
          }).addTo(this.districts);
          return adm2;
        });
    }
    return this.districtsLoading;
  }

  private land: L.GeoJSON | null = null;
  districtGeo: GeoJSON.FeatureCollection | null = null;
  provinceGeo: GeoJSON.FeatureCollection | null = null;

  private updateDistrictVisibility(): void {
    const show = this.map.getZoom() >= 6 || this.choroplethLayer !== null;
    if (show) void this.loadDistricts();
    if (show && !this.map.hasLayer(this.districts)) this.districts.addTo(this.map);
    if (!show && this.map.hasLayer(this.districts)) this.map.removeLayer(this.districts);
  }

  viewBbox(): string {
    const b = this.map.getBounds().pad(0.1);
    const f = (x: number) => x.toFixed(3);
    return [f(Math.max(b.getWest(), -180)), f(Math.max(b.getSouth(), -90)),
      f(Math.min(b.getEast(), 180)), f(Math.min(b.getNorth(), 90))].join(',');
  }

  // Loads what is in view for `filters`: grid cells, or points once few enough.
  // At country zoom the whole grid is fetched once (no bbox) and panning needs
  // no request; closer in, an area half a view wider on each side is fetched
  // and a pan inside it needs none either.
  async refresh(filters: Record<string, string>): Promise<GridResponse | null> {
    const zoom = this.map.getZoom();
    const cell = cellDegFor(zoom);
    const wide = zoom <= 6;
    const key = JSON.stringify([filters, cell, wide, zoom >= 7]);
    const view = this.map.getBounds();
    if (key === this.fetchedKey && (wide || (this.fetchedBounds && this.fetchedBounds.contains(view)))) {
      return this.lastGrid;
    }
    const seq = ++this.seq;
    this.abort?.abort();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // The map says it is busy until this drawing is complete (or fails), for
    // assistive technology and for the browser tests, which count what is drawn.
    const container = this.map.getContainer();
    container.setAttribute('aria-busy', 'true');
    try {
      return await this.fetchAndDraw(filters, seq, signal, { key, cell, wide, zoom, area: view.pad(0.5) });
    } finally {
      if (seq === this.seq) container.removeAttribute('aria-busy');
    }
  }

  private async fetchAndDraw(filters: Record<string, string>, seq: number, signal: AbortSignal,
    v: { key: string; cell: number; wide: boolean; zoom: number; area: L.LatLngBounds }): Promise<GridResponse | null> {
    const { key, cell, wide, zoom, area } = v;
    const bbox = wide ? undefined : [area.getWest(), area.getSouth(), area.getEast(), area.getNorth()]
      .map((x, i) => Math.max(Math.min(x, i % 2 ? 90 : 180), i % 2 ? -90 : -180).toFixed(3)).join(',');
    const grid = await get<GridResponse>('/api/v1/stats/grid', { ...filters, bbox, cell_deg: cell }, signal);
    if (seq !== this.seq) return grid;
    this.lastGrid = grid;
    if (grid.total <= POINTS_LIMIT && zoom >= 7) {
      const page = await get<{ items: Incident[] }>('/api/v1/incidents',
        { ...filters, bbox, limit: POINTS_LIMIT }, signal);
      if (seq !== this.seq) return grid;
      if (!(await this.drawPoints(page.items, seq))) return grid;
    } else {
      if (!(await this.drawGrid(grid, seq))) return grid;
    }
    this.fetchedKey = key;
    this.fetchedBounds = wide ? null : area;
    return grid;
  }

  // The next refresh fetches again (after a write).
  forget(): void { this.fetchedKey = ''; }

  private fetchedKey = '';
  private fetchedBounds: L.LatLngBounds | null = null;

  // Adds markers a few hundred per task, so that a thousand focusable SVG
  // shapes never hold the main thread long enough to stall panning; resolves
  // when the last is on the map (the redraw the browser tests time), or false
  // when a newer refresh (sequence number) took over.
  private async inBatches<T>(items: T[], seq: number, add: (item: T) => void): Promise<boolean> {
    const BATCH = 250;
    for (let i = 0; i < items.length; i += BATCH) {
      if (i > 0) await new Promise((r) => setTimeout(r, 0));
      if (seq !== this.seq) return false;
      for (const item of items.slice(i, i + BATCH)) add(item);
    }
    return true;
  }

  // The circle sizes of the current drawing, for the legend: cells by their
  // count (relative to the largest cell shown), incidents by their deaths.
  sizeKey(): { r: number; label: string }[] {
    if (this.mode === 'grid') {
      const max = this.gridMax;
      const values = [...new Set([1, Math.max(1, Math.round(max / 10)), max])].sort((a, b) => a - b);
      return values.map((v) => ({ r: 3.5 + 15 * Math.sqrt(v / max), label: t('incidentsCount', { n: v }) }));
    }
    return [0, 4, 36].map((k) => ({
      r: 5 + Math.min(6, Math.sqrt(k)), label: k === 36 ? t('deathsOrMore', { n: k }) : t('deathsCount', { n: k }),
    }));
  }

  private gridMax = 1;

  private drawGrid(grid: GridResponse, seq: number): Promise<boolean> {
    this.mode = 'grid';
    this.gather();
    this.incidents.clearLayers();
    const max = Math.max(1, ...grid.cells.map((c) => c.count));
    this.gridMax = max;
    return this.inBatches(grid.cells, seq, (c) => {
      let top = 'unknown';
      let topN = -1;
      for (const [k, v] of Object.entries(c.categories)) {
        if (v > topN) { top = k; topN = v; }
      }
      const r = 3.5 + 15 * Math.sqrt(c.count / max);
      const m = L.circleMarker([c.lat, c.lon], {
        radius: r, color: '#ffffff', weight: 1,
        fillColor: categoryColor(top), fillOpacity: 0.78, renderer: this.markerRenderer,
      });
      m.bindTooltip(String(c.count), { direction: 'top' });
      m.on('click', () => this.openCell(c, m));
      this.operable(m, 'incident-cell', t('cellSummary', { n: c.count, k: c.killed }), () => this.openCell(c, m));
      m.addTo(this.incidents);
    });
  }

  // A cell's details: its counts by category and a way to zoom in on it.
  private openCell(c: GridCell, m: L.CircleMarker): void {
    const zoom = h('button', { type: 'button', class: 'primary', id: 'cell-zoom' }, t('zoomHere'));
    zoom.addEventListener('click', () => {
      this.map.closePopup();
      this.map.setView([c.lat, c.lon], Math.min(this.map.getZoom() + 2, 12));
    });
    const rows = Object.entries(c.categories).sort((a, b) => b[1] - a[1]);
    const box = h('div', { class: 'cell-details', id: 'cell-details', role: 'group', 'aria-labelledby': 'cell-details-h' },
      h('h2', { id: 'cell-details-h' }, t('cellSummary', { n: c.count, k: c.killed })),
      h('ul', {}, ...rows.map(([k, v]) => {
        const dot = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        dot.style.background = categoryColor(k); // CSSOM: allowed by style-src 'self'
        return h('li', {}, dot, `${categoryName(k)}: ${num(v)}`);
      })),
      zoom);
    // Leaflet handles Escape only while the map container itself has the focus.
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.map.closePopup();
      }
    });
    m.unbindPopup();
    m.bindPopup(box, { autoPan: true, closeButton: true, autoPanPaddingTopLeft: L.point(12, 64) }).openPopup();
    // Closing the details (Escape, the close button) returns the focus to the cell.
    m.once('popupclose', () => {
      const active = document.activeElement;
      if (!active || active === document.body || box.contains(active)) (m.getElement() as SVGElement | undefined)?.focus();
    });
    zoom.focus();
  }

  // Focusable, named and operable by keyboard (Enter or Space does what a
  // click does); the focused marker is drawn with a dark ring as well as the
  // focus outline, so the focus shows on the map itself.
  private operable(m: L.CircleMarker, cls: string, label: string, activate: () => void): void {
    const normal = { color: m.options.color, weight: m.options.weight };
    m.on('add', () => {
      const el = m.getElement();
      if (!el || el.hasAttribute('tabindex')) return;
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', label);
      el.classList.add(cls);
      el.addEventListener('keydown', (e) => {
        const k = (e as KeyboardEvent).key;
        if (k === 'Enter' || k === ' ') {
          e.preventDefault();
          e.stopPropagation();
          activate();
        }
      });
      el.addEventListener('focus', () => m.setStyle({ color: '#111827', weight: 3 })); // (moving it to the front would blur it)
      el.addEventListener('blur', () => m.setStyle(normal));
    });
  }

  // Incidents one by one (zoomed in). Incidents at the same position (within
  // about 10 m: sources often give a town's or district's centre) are one
  // marker with their count, which opens the list of them, or spreads them
  // out around it when they are few and placed to a point (toggleFan); nothing
  // hides under another. A marker says how precise its place is: a filled dot for
  // an exact or near place, a dashed ring for "somewhere in this district"
  // and a dotted ring for "somewhere in this province" (issue 17 item 2).
  private drawPoints(items: Incident[], seq: number): Promise<boolean> {
    this.mode = 'points';
    this.gather();
    this.incidents.clearLayers();
    const groups = new Map<string, Incident[]>();
    for (const i of items) {
      if (i.latitude === null || i.longitude === null) continue;
      const key = `${i.latitude.toFixed(4)},${i.longitude.toFixed(4)}`;
      const g = groups.get(key);
      if (g) g.push(i); else groups.set(key, [i]);
    }
    return this.inBatches(this.mergeNearby([...groups.values()]), seq, (cluster) => {
      const g = cluster.flat();
      const first = g[0];
      const killed = g.reduce((a, i) => a + (i.killed ?? 0), 0);
      const precision = first.location_precision ?? 'exact';
      const vague = precision === 'district' || precision === 'province' || precision === 'country';
      const color = categoryColor(first.category);
      const m = L.circleMarker([first.latitude!, first.longitude!], vague
        ? {
          radius: 7 + Math.min(7, Math.sqrt(killed)), color, weight: 2, dashArray: precision === 'district' ? '4 3' : '1 3',
          fillColor: color, fillOpacity: 0.12, renderer: this.markerRenderer,
        }
        : {
          radius: 5 + Math.min(6, Math.sqrt(killed)), color: '#ffffff',
          weight: 1, fillColor: color, fillOpacity: 0.9, renderer: this.markerRenderer,
        });
      const where = `${first.location || first.date_start} (${precisionName(precision)})` +
        (cluster.length > 1 ? ` · ${t('clusterPlaces', { n: cluster.length })}` : '');
      if (g.length === 1) {
        const label = first.headline || first.location || first.date_start;
        m.bindTooltip(`${label} · ${precisionName(precision)}`, { direction: 'top' });
        m.on('click', () => this.handlers.onIncident(first.id));
        this.operable(m, 'incident-point', `${categoryName(first.category)}: ${label}, ${precisionName(precision)}`,
          () => this.handlers.onIncident(first.id));
      } else if (g.length <= SPIDERFY_MAX && g.every((i) => precisionClass(i.location_precision) === 'point')) {
        // A few incidents placed to a point spread out around it when opened
        // (spiderfy). Rings ("somewhere in the district") never do, nor a marker
        // whose position also holds a less precise incident: a fanned-out dot
        // would claim a place the source never gave.
        const summary = t('clusterSummary', { n: g.length, k: killed });
        m.options.bubblingMouseEvents = false;  // (the map's click would gather them again)
        m.bindTooltip(`${summary} · ${where} · ${t('fanHint')}`, { direction: 'top' });
        m.on('click', () => this.toggleFan(g, m, false));
        this.operable(m, 'incident-cluster', `${summary}, ${where}, ${t('fanHint')}`, () => this.toggleFan(g, m, true));
        m.on('add', () => m.getElement()?.setAttribute('aria-expanded', 'false'));
      } else {
        const summary = t('clusterSummary', { n: g.length, k: killed });
        m.bindTooltip(`${summary} · ${where}`, { direction: 'top' });
        m.on('click', () => this.openCluster(g, m, where));
        this.operable(m, 'incident-cluster', `${summary}, ${where}`, () => this.openCluster(g, m, where));
      }
      if (g.length > 1) {
        // The count on the marker itself (not a control: the marker is).
        L.marker([first.latitude!, first.longitude!], {
          icon: L.divIcon({ className: 'cluster-count', html: '', iconSize: [22, 14] }),
          interactive: false, keyboard: false,
        }).on('add', (e) => {
          const el = (e.target as L.Marker).getElement();
          if (el) { el.textContent = num(g.length); el.setAttribute('aria-hidden', 'true'); }
        }).addTo(this.incidents);
      }
      m.addTo(this.incidents);
    });
  }

  // Positions closer on screen than a marker at this zoom become one marker
  // too, so that no marker hides under another: greedily, largest group
  // first, each joins the nearest marker within MERGE_PX of its own precision
  // (a district ring never absorbs exact points, nor the reverse). The marker
  // stays on the position of its largest group (a real position, not an
  // average); zooming in separates them again.
  private mergeNearby(groups: Incident[][]): Incident[][][] {
    const zoom = this.map.getZoom();
    const cells = new Map<string, { x: number; y: number; kind: string; members: Incident[][] }[]>();
    const out: Incident[][][] = [];
    for (const g of [...groups].sort((a, b) => b.length - a.length)) {
      const p = this.map.project([g[0].latitude!, g[0].longitude!], zoom);
      const kind = precisionClass(g[0].location_precision);
      const cx = Math.floor(p.x / MERGE_PX);
      const cy = Math.floor(p.y / MERGE_PX);
      let best: { members: Incident[][] } | null = null;
      let bestDistance = MERGE_PX;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const seed of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
            const d = Math.hypot(seed.x - p.x, seed.y - p.y);
            if (seed.kind === kind && d < bestDistance) { best = seed; bestDistance = d; }
          }
        }
      }
      if (best) { best.members.push(g); continue; }
      const seed = { x: p.x, y: p.y, kind, members: [g] };
      const key = `${cx},${cy}`;
      const cell = cells.get(key);
      if (cell) cell.push(seed); else cells.set(key, [seed]);
      out.push(seed.members);
    }
    return out;
  }

  // Spreads a marker's incidents out around it (newest first, clockwise from
  // the top), or gathers them if it is spread already. Each fanned marker is an
  // incident, as a single one is: its tooltip and name, and it opens its
  // details. Its leg starts at the incident's own position (the marker's, or a
  // nearby one merged into it), so the drawing keeps where the source put it.
  // From the keyboard the focus moves to the first one; Tab goes on through them.
  private toggleFan(g: Incident[], m: L.CircleMarker, byKeyboard: boolean): void {
    if (this.spider?.cluster === m) {
      this.gather(true);
      return;
    }
    this.gather();
    this.map.closePopup();
    const zoom = this.map.getZoom();
    const centre = this.map.project(m.getLatLng(), zoom);
    const sorted = [...g].sort((a, b) => (a.date_start < b.date_start ? 1 : a.date_start > b.date_start ? -1 : 0));
    const offsets = fanOffsets(sorted.length);
    const markers = sorted.map((i, k) => {
      const at = this.map.unproject(centre.add(L.point(offsets[k].x, offsets[k].y)), zoom);
      L.polyline([[i.latitude!, i.longitude!], at], {
        color: '#1f2937', weight: 1.5, opacity: 0.9, interactive: false, className: 'fan-leg',
        renderer: this.markerRenderer,
      }).addTo(this.spiderLayer);
      const precision = i.location_precision ?? 'exact';
      const label = i.headline || i.location || i.date_start;
      const f = L.circleMarker(at, {
        radius: 5 + Math.min(6, Math.sqrt(i.killed ?? 0)), color: '#ffffff', weight: 1.5,
        fillColor: categoryColor(i.category), fillOpacity: 1, renderer: this.spiderRenderer,
        bubblingMouseEvents: false,
      });
      const open = () => this.handlers.onIncident(i.id);
      const nth = t('fanItem', { i: k + 1, n: sorted.length });
      // The tooltip points away from the fan, not over the next incidents.
      const { x, y } = offsets[k];
      f.bindTooltip(`${label} · ${precisionName(precision)} · ${nth}`,
        { direction: Math.abs(x) > Math.abs(y) ? (x > 0 ? 'right' : 'left') : (y < 0 ? 'top' : 'bottom') });
      f.on('click', open);
      this.operable(f, 'incident-fanned', `${categoryName(i.category)}: ${label}, ${precisionName(precision)}, ${nth}`, open);
      f.on('add', () => f.getElement()?.setAttribute('data-id', i.id));
      return f.addTo(this.spiderLayer);
    });
    this.spider = { cluster: m, fillOpacity: m.options.fillOpacity ?? 0.9 };
    m.setStyle({ fillOpacity: 0.35 });
    m.getElement()?.setAttribute('aria-expanded', 'true');
    if (byKeyboard) (markers[0]?.getElement() as SVGElement | undefined)?.focus();
  }

  // Gathers a spread marker again (nothing if none is). The focus, if it was on
  // one of its incidents (or `refocus`), returns to the marker.
  private gather(refocus = false): void {
    const s = this.spider;
    if (!s) return;
    this.spider = null;
    const active = document.activeElement;
    const inFan = active instanceof SVGElement && active.classList.contains('incident-fanned');
    this.spiderLayer.clearLayers();
    s.cluster.setStyle({ fillOpacity: s.fillOpacity });
    const el = s.cluster.getElement() as SVGElement | undefined;
    el?.setAttribute('aria-expanded', 'false');
    if ((refocus || inFan) && el?.isConnected) el.focus();
  }

  // The incidents of one position, newest first, each opening its details.
  private openCluster(g: Incident[], m: L.CircleMarker, where: string): void {
    this.gather();
    const sorted = [...g].sort((a, b) => (a.date_start < b.date_start ? 1 : a.date_start > b.date_start ? -1 : 0));
    const killed = g.reduce((a, i) => a + (i.killed ?? 0), 0);
    const shown = sorted.slice(0, 100);
    const box = h('div', { class: 'cell-details', id: 'cluster-details', role: 'group', 'aria-labelledby': 'cluster-details-h' },
      h('h2', { id: 'cluster-details-h' }, t('clusterSummary', { n: g.length, k: killed })),
      h('p', { class: 'sub' }, h('bdi', {}, where)),
      h('ul', { class: 'cluster-list' }, ...shown.map((i) => {
        const b = h('button', { type: 'button', class: 'link cluster-item', 'data-id': i.id },
          `${date(i.date_start)} · `, h('bdi', {}, i.headline || categoryName(i.category)),
          i.killed ? ` · ${t('deathsCount', { n: i.killed })}` : '');
        b.addEventListener('click', () => { this.map.closePopup(); this.handlers.onIncident(i.id); });
        return h('li', {}, b);
      })),
      g.length > shown.length ? h('p', { class: 'sub' }, t('clusterMore', { n: g.length - shown.length })) : '');
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.map.closePopup();
      }
    });
    m.unbindPopup();
    m.bindPopup(box, { autoPan: true, closeButton: true, maxHeight: 320, autoPanPaddingTopLeft: L.point(12, 64) }).openPopup();
    m.once('popupclose', () => {
      const active = document.activeElement;
      if (!active || active === document.body || box.contains(active)) (m.getElement() as SVGElement | undefined)?.focus();
    });
    box.querySelector<HTMLButtonElement>('button.cluster-item')?.focus();
  }

  // The bounds of an area from the loaded boundaries (districts are loaded on demand).
  async areaBounds(pcode: string, level: number): Promise<L.LatLngBounds | null> {
    const geo = level === 1 ? this.provinceGeo : await this.loadDistricts();
    const f = geo?.features.find((x) => x.properties?.pcode === pcode);
    return f ? L.geoJSON(f).getBounds() : null;
  }

  countryBounds(): L.LatLngBounds | null {
    return this.land ? this.land.getBounds() : null;
  }

  // Fits [lon, lat] points (a route) at street level.
  fitPoints(points: [number, number][]): void {
    if (!points.length) return;
    // Room at the bottom for the attribution box over the map.
    this.map.fitBounds(L.latLngBounds(points.map(([lon, lat]) => [lat, lon] as L.LatLngTuple)),
      { paddingTopLeft: [24, 24], paddingBottomRight: [24, 110], maxZoom: 16 });
  }

  // Fits the view to features (districts, areas); nothing when there are none.
  fitFeatures(features: GeoJSON.Feature[]): void {
    if (!features.length) return;
    const b = L.geoJSON({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection).getBounds();
    if (b.isValid()) this.map.fitBounds(b, { padding: [32, 32], maxZoom: 9 });
  }

  fitBounds(b: L.LatLngBounds): void {
    this.map.fitBounds(b, { padding: [16, 16], maxZoom: 10 });
  }

  setChoropleth(level: 1 | 2 | null, colorOf: (pcode: string) => string | null, labelOf: (pcode: string) => string): void {
    if (this.choroplethLayer) {
      this.map.removeLayer(this.choroplethLayer);
      this.choroplethLayer = null;
    }
    if (level !== null) {
      const geo = level === 1 ? this.provinceGeo : this.districtGeo;
      if (geo) {
        this.choroplethLayer = L.geoJSON(geo, {
          style: (f) => {
            const c = colorOf(String(f?.properties?.pcode));
            return { color: '#6b7785', weight: 0.6, fillColor: c ?? '#e5e7eb', fillOpacity: c ? 0.78 : 0.35 };
          },
          onEachFeature: (f, layer) => layer.bindTooltip(labelOf(String(f.properties?.pcode)), { sticky: true }),
        });
        this.choroplethLayer.addTo(this.map);
        this.choroplethLayer.bringToBack();
        this.land?.bringToBack();
      }
    }
    this.updateDistrictVisibility();
  }

  // Hides or shows the incident markers and cells (risk layers read clearly without them).
  setIncidentsVisible(on: boolean): void {
    if (!on) this.gather();
    if (on && !this.map.hasLayer(this.incidents)) this.incidents.addTo(this.map);
    if (!on && this.map.hasLayer(this.incidents)) this.map.removeLayer(this.incidents);
  }

  setOverlay(layers: L.Layer[]): void {
    this.overlay.clearLayers();
    for (const l of layers) l.addTo(this.overlay);
  }

  // `svg`: draw as SVG paths (their className reaches the DOM) instead of on the shared canvas.
  geoJsonLayer(fc: GeoJSON.FeatureCollection, style: (f: GeoJSON.Feature) => L.PathOptions,
    tooltip?: (f: GeoJSON.Feature) => string, svg = false): L.GeoJSON {
    const options: L.GeoJSONOptions & { renderer?: L.Renderer } = {
      style: (f) => style(f as GeoJSON.Feature),
      onEachFeature: tooltip ? (f, layer) => layer.bindTooltip(tooltip(f), { sticky: true }) : undefined,
    };
    if (svg) options.renderer = this.markerRenderer;
    return L.geoJSON(fc, options);
  }

  showSites(sites: { id: string; lat: number; lon: number; name: string }[], selected: string | null,
    onClick: (id: string) => void): void {
    this.siteLayer.clearLayers();
    for (const s of sites) {
      const sel = s.id === selected;
      const m = L.circleMarker([s.lat, s.lon], {
        radius: sel ? 9 : 5, color: '#111827', weight: sel ? 3 : 1.5,
        fillColor: sel ? '#facc15' : '#ffffff', fillOpacity: 1, renderer: this.markerRenderer,
      });
      m.bindTooltip(s.name);
      m.on('click', () => onClick(s.id));
      this.operable(m, 'site-marker', s.name, () => onClick(s.id));
      m.addTo(this.siteLayer);
    }
  }

  clearSites(): void { this.siteLayer.clearLayers(); }

  circle(lat: number, lon: number, km: number): L.Layer {
    return L.circle([lat, lon], { radius: km * 1000, color: '#111827',
      weight: 1.5, dashArray: '4 4', fill: false, interactive: false });
  }

  // Points that are not incidents one can open (a site's counted events): a marker and a label.
  countedLayer(items: { lat: number; lon: number; label: string }[]): L.Layer {
    const g = L.layerGroup();
    for (const i of items) {
      const m = L.circleMarker([i.lat, i.lon], {
        radius: 5, color: '#ffffff', weight: 1, fillColor: '#b91c1c', fillOpacity: 0.9,
        renderer: this.markerRenderer, className: 'counted-point',
      });
      m.bindTooltip(i.label);
      m.addTo(g);
    }
    return g;
  }

  pointsLayer(items: Incident[]): L.Layer {
    const g = L.layerGroup();
    for (const i of items) {
      if (i.latitude === null || i.longitude === null) continue;
      const m = L.circleMarker([i.latitude, i.longitude], {
        radius: 5, color: '#ffffff', weight: 1,
        fillColor: categoryColor(i.category), fillOpacity: 0.9, renderer: this.markerRenderer,
      });
      m.bindTooltip(i.headline || i.date_start);
      m.on('click', () => this.handlers.onIncident(i.id));
      this.operable(m, 'incident-point', `${categoryName(i.category)}: ${i.headline || i.date_start}`,
        () => this.handlers.onIncident(i.id));
      m.addTo(g);
    }
    return g;
  }

  flyTo(lat: number, lon: number, zoom: number): void {
    this.map.setView([lat, lon], zoom);
  }

  scheduleRefresh(fn: () => void): void {
    window.clearTimeout(this.moveTimer);
    this.moveTimer = window.setTimeout(fn, 120);
  }

  invalidate(): void { this.map.invalidateSize(); }
}

// Markers whose positions are closer than this on screen are one marker.
const MERGE_PX = 18;

// Which places may share a marker: exact and near places together; district,
// province and country precision each only with their own kind.
function precisionClass(precision: string | undefined): string {
  return precision === 'district' || precision === 'province' || precision === 'country' ? precision : 'point';
}
