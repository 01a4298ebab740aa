// One event, several sources (issue 17 item 11, docs/links.md): the records of
// other sources an incident's event also has ("also reported by", any reading
// role), and the analysts' review of the matcher's candidate links
// (GET /api/v1/links, POST /api/v1/links/find, POST /api/v1/links/{id}/decision;
// the link-incidents action). A confirmed link counts the event once across
// sources, in the record the server's rule keeps ("kept"); the other record is
// counted in it.
import { ApiError, get, post, query } from './api';
import { clear, h } from './dom';
import { categoryName, date, num, precisionName, t, tParts } from './i18n';
import { LINK_STATES, type LinkState } from './state';

// ---- the shapes of the API

// One record of a link (a summary of GET /api/v1/incidents/{id}, with the
// provenance's dataset and source id and the licence's attribution at the top).
export interface LinkRecord {
  id: string;
  dataset: string;
  source_id: string;
  date_start: string;
  date_end?: string;
  location?: string;
  location_precision?: string;
  admin1?: string;
  admin2?: string;
  killed: number | null;
  category?: string;
  headline?: string;
  marking?: string;
  attribution?: string;
}

export interface Link {
  id: string;
  score: number; // 0..1
  reasons: string[]; // the matcher's, in English (parseReason reads them)
  distance_km: number | null;
  gap_days: number;
  state: 'candidate' | 'confirmed' | 'rejected';
  kept: string | null; // confirmed: the record whose figures count
  decided_by: string;
  decided_at: string;
  note: string;
  a: LinkRecord;
  b: LinkRecord;
}

interface LinkPage { items: Link[]; count: number; state: string; offset: number; limit: number; next_offset: number | null }

// GET /api/v1/incidents/{id}/links: the other records of the event, confirmed first.
export interface AlsoReported {
  link: string;
  state: 'candidate' | 'confirmed' | 'rejected';
  score: number;
  reasons: string[];
  kept: string | null;
  record: LinkRecord;
}

interface FindSummary { incidents: number; candidates: number; new: number; min_score: number; states: Record<string, number> }

// ---- pure helpers (links.test.ts)

// The matcher's reasons (src/matching/matching.cc), read back into parts so
// that each language says them with its own words and numbers. Anything else
// is kept as the server wrote it ("other").
export type Reason =
  | { kind: 'distance'; km: number; a: string; b: string }
  | { kind: 'sameDistrict' | 'sameProvince'; area: string }
  | { kind: 'sameDay' | 'datesOverlap' | 'deathsNotGiven' }
  | { kind: 'daysApart'; n: number }
  | { kind: 'killedBoth'; n: number }
  | { kind: 'killedPair'; a: number; b: number }
  | { kind: 'other'; text: string };

export function parseReason(text: string): Reason {
  let m = /^(\d+(?:\.\d+)?) km apart \(([a-z]+), ([a-z]+)\)$/.exec(text);
  if (m) return { kind: 'distance', km: Number(m[1]), a: m[2], b: m[3] };
  m = /^same (district|province) \((.*)\), one placed only to it$/.exec(text);
  if (m) return { kind: m[1] === 'district' ? 'sameDistrict' : 'sameProvince', area: m[2] };
  if (text === 'same day') return { kind: 'sameDay' };
  if (text === 'dates overlap') return { kind: 'datesOverlap' };
  if (text === 'deaths not given by both') return { kind: 'deathsNotGiven' };
  m = /^(\d+) days? apart$/.exec(text);
  if (m) return { kind: 'daysApart', n: Number(m[1]) };
  m = /^killed (\d+) in both$/.exec(text);
  if (m) return { kind: 'killedBoth', n: Number(m[1]) };
  m = /^killed (\d+) and (\d+)$/.exec(text);
  if (m) return { kind: 'killedPair', a: Number(m[1]), b: Number(m[2]) };
  return { kind: 'other', text };
}

// Whether the record `self` is counted in another (the confirmed link whose
// kept record is the other one), and the confirmed links it counts for.
export function countedIn(items: AlsoReported[], self: string): AlsoReported | null {
  return items.find((x) => x.state === 'confirmed' && x.kept !== null && x.kept !== self &&
    x.kept === x.record.id) ?? null;
}

export function countsFor(items: AlsoReported[], self: string): AlsoReported[] {
  return items.filter((x) => x.state === 'confirmed' && x.kept === self);
}

// ---- words

// The names of the sources (proper names, the same in every language); a
// report filed here is said in the language.
const SOURCE_NAMES: Record<string, string> = { 'ucdp-ged': 'UCDP GED', gtd: 'GTD', acled: 'ACLED' };

function sourceName(r: LinkRecord): string {
  if (r.dataset === 'manual') return t('linkSourceManual');
  return SOURCE_NAMES[r.dataset] ?? (r.dataset || '—');
}

// "UCDP GED #123456" (a source's own id), or the source and the date when it has none.
function recordLabel(r: LinkRecord): HTMLElement {
  return h('bdi', { class: 'record-label' },
    r.source_id ? `${sourceName(r)} #${r.source_id}` : `${sourceName(r)} · ${date(r.date_start)}`);
}

type Message = { parts: (string | Node)[]; kind: 'info' | 'error' };

function scoreText(score: number): string {
  return num(score, 2);
}

function stateText(state: string): string {
  return state === 'confirmed' ? t('linkStateConfirmed') : state === 'rejected' ? t('linkStateRejected') : t('linkStateCandidate');
}

function deathsOf(r: LinkRecord): string {
  return r.killed === null || r.killed === undefined ? t('linkDeathsNotGiven') : t('deathsCount', { n: r.killed });
}

function dateOf(r: LinkRecord): string {
  return r.date_end && r.date_end !== r.date_start ? `${date(r.date_start)} – ${date(r.date_end)}` : date(r.date_start);
}

function placeOf(r: LinkRecord, areaName: (pcode: string) => string): string {
  return [r.location, areaName(r.admin2 ?? ''), areaName(r.admin1 ?? '')].filter(Boolean).join(', ') || '—';
}

function reasonItem(text: string, areaName: (pcode: string) => string): HTMLElement {
  const r = parseReason(text);
  const area = (code: string) => h('bdi', {}, areaName(code) || code);
  switch (r.kind) {
    case 'distance':
      return h('li', {}, t('reasonDistance', { km: num(r.km, 1), a: precisionName(r.a), b: precisionName(r.b) }));
    case 'sameDistrict': return h('li', {}, ...tParts('reasonSameDistrict', { area: area(r.area) }));
    case 'sameProvince': return h('li', {}, ...tParts('reasonSameProvince', { area: area(r.area) }));
    case 'sameDay': return h('li', {}, t('reasonSameDay'));
    case 'datesOverlap': return h('li', {}, t('reasonDatesOverlap'));
    case 'deathsNotGiven': return h('li', {}, t('reasonDeathsNotGiven'));
    case 'daysApart': return h('li', {}, t('reasonDaysApart', { n: r.n }));
    case 'killedBoth': return h('li', {}, t('reasonKilledBoth', { n: r.n }));
    case 'killedPair': return h('li', {}, t('reasonKilledPair', { a: r.a, b: r.b }));
    default: return h('li', {}, h('bdi', { lang: 'en' }, r.text));
  }
}

function tlpBadge(marking: string | undefined): HTMLElement {
  const tlp = marking || 'TLP:CLEAR';
  return h('span', { class: `tlp tlp-${tlp.replace(/[^A-Z]/g, '').toLowerCase()}` }, tlp);
}

// ---- "also reported by" in an incident's details

export interface AlsoContext {
  areaName: (pcode: string) => string;
  openIncident: (id: string) => void;
  errorText: (err: unknown) => string;
}

// Fills `note` (under the details' heading: this record is counted in another
// one, or counts for the others) and `section` (the other sources' records)
// for the incident `id`; both stay empty and hidden when it has no links.
export async function alsoReported(id: string, note: HTMLElement, section: HTMLElement, ctx: AlsoContext): Promise<void> {
  let items: AlsoReported[];
  try {
    items = (await get<{ items: AlsoReported[] }>(`/api/v1/incidents/${encodeURIComponent(id)}/links`)).items ?? [];
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return; // a server without links
    section.hidden = false;
    section.append(h('p', { class: 'status error' }, ctx.errorText(err)));
    return;
  }
  items = items.filter((x) => x.state !== 'rejected');
  if (!items.length || !section.isConnected) return;
  const open = (r: LinkRecord) => h('button', { type: 'button', class: 'link also-open', 'data-id': r.id,
    onclick: () => ctx.openIncident(r.id) }, recordLabel(r));
  const into = countedIn(items, id);
  const counts = countsFor(items, id);
  if (into) {
    note.hidden = false;
    note.id = 'counted-in';
    note.setAttribute('data-kept', into.record.id);
    // "Counted in the UCDP GED record #123456": the record's own id (or date) opens it.
    const sid = into.record.source_id;
    const record = h('button', { type: 'button', class: 'link counted-open', 'data-id': into.record.id,
      'aria-label': recordLabel(into.record).textContent ?? '', onclick: () => ctx.openIncident(into.record.id) },
    h('bdi', {}, sid ? `#${sid}` : date(into.record.date_start)));
    note.append(...tParts<Node>('countedIn', { source: h('bdi', {}, sourceName(into.record)), record }));
  } else if (counts.length) {
    note.hidden = false;
    note.id = 'counts-for';
    note.append(t('countsFor', { n: counts.length }));
  }
  section.hidden = false;
  section.append(h('h3', { id: 'also-h' }, t('alsoReportedBy')),
    h('ul', { class: 'also-list', id: 'also-list' }, ...items.map((x) =>
      h('li', { class: `also-item ${x.state}`, 'data-id': x.record.id, 'data-state': x.state, 'data-link': x.link },
        open(x.record),
        h('span', { class: 'sub' }, `${dateOf(x.record)} · `, h('bdi', {}, placeOf(x.record, ctx.areaName)),
          ` · ${deathsOf(x.record)}`),
        h('span', { class: 'sub' }, h('span', { class: `link-state ${x.state}` }, stateText(x.state)),
          ` · ${t('linkScore', { score: scoreText(x.score) })}`)))));
}

// ---- the review screen (analysts: link-incidents)

export interface LinksContext {
  state: LinkState;
  offset: number;
  // Another list or page: recorded in the URL, the screen drawn again.
  go: (state: LinkState, offset: number) => Promise<void>;
  areaName: (pcode: string) => string;
  openIncident: (id: string) => void;
  showPair: (ids: string[]) => Promise<void>;
  // A confirmation changed what the figures count: the map and the counts are fetched again.
  dataChanged: () => void;
  errorText: (err: unknown) => string;
  showError: (err: unknown) => void;
}

export const LINKS_PAGE = 20;

// After the screen is drawn again: the keyboard stays where it was (the list's
// heading when that control is disabled now).
function refocus(id: string): void {
  const el = document.getElementById(id) as HTMLButtonElement | null;
  if (el && !el.disabled) el.focus();
  else document.getElementById('links-list-h')?.focus();
}

function recordCard(r: LinkRecord, side: 'a' | 'b', l: Link, ctx: LinksContext): HTMLElement {
  const rows: [string, Node | string][] = [
    [t('date'), dateOf(r)],
    [t('location'), h('bdi', {}, placeOf(r, ctx.areaName))],
    [t('killed'), deathsOf(r)],
    [t('category'), r.category ? categoryName(r.category) : '—'],
    [t('precision'), precisionName(r.location_precision ?? 'none')],
    [t('marking'), tlpBadge(r.marking)],
  ];
  const kept = l.state === 'confirmed' && l.kept ? (l.kept === r.id ? 'kept' : 'counted') : '';
  const heading = `link-${l.id}-${side}`;
  return h('section', { class: `link-record ${kept}`, 'data-id': r.id, 'aria-labelledby': heading },
    h('h4', { id: heading }, recordLabel(r)),
    kept ? h('p', { class: `kept-note ${kept}` }, kept === 'kept' ? t('linkKept') : t('linkCounted')) : '',
    r.headline ? h('p', { class: 'sub' }, h('bdi', {}, r.headline)) : '',
    h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('button', { type: 'button', class: 'link record-open', 'data-id': r.id, 'aria-describedby': heading,
      onclick: () => ctx.openIncident(r.id) }, t('linkOpenRecord')));
}

function linkRow(l: Link, ctx: LinksContext, message: Message | null = null): HTMLElement {
  const head = `link-${l.id}-h`;
  const status = h('p', { class: `status ${message?.kind ?? ''}`, id: `link-status-${l.id}`,
    role: message?.kind === 'error' ? 'alert' : 'status', tabindex: -1 }, ...(message?.parts ?? []));
  const row = h('li', { class: `link-row ${l.state}`, 'data-link': l.id, 'data-state': l.state, 'data-score': String(l.score) },
    h('div', { class: 'link-head' },
      h('h3', { id: head, tabindex: -1 }, ...tParts('linkTitle', { a: recordLabel(l.a), b: recordLabel(l.b) })),
      h('p', { class: 'sub' }, h('strong', { class: 'link-score' }, t('linkScore', { score: scoreText(l.score) })), ' · ',
        h('span', { class: `link-state ${l.state}` }, stateText(l.state)))),
    h('div', { class: 'link-why' }, h('span', { class: 'sub' }, t('linkWhy')),
      h('ul', { class: 'link-reasons' }, ...l.reasons.map((x) => reasonItem(x, ctx.areaName)))),
    h('div', { class: 'link-pair' }, recordCard(l.a, 'a', l, ctx), recordCard(l.b, 'b', l, ctx)));
  if (l.state !== 'candidate' && l.decided_by) {
    row.append(h('p', { class: 'sub link-decided' },
      ...tParts<Node>(l.state === 'confirmed' ? 'linkConfirmedBy' : 'linkRejectedBy', {
        by: h('bdi', {}, l.decided_by), date: l.decided_at ? date(l.decided_at.slice(0, 10)) : '—' }),
      l.note ? ' ' : '', l.note ? h('bdi', { class: 'link-note' }, l.note) : ''));
  }
  const onMap = h('button', { type: 'button', id: `link-map-${l.id}`, 'aria-describedby': head }, t('linkShowOnMap'));
  onMap.addEventListener('click', () => void ctx.showPair([l.a.id, l.b.id]).catch(ctx.showError));
  if (l.state === 'candidate') {
    const noteId = `link-note-${l.id}`;
    const note = h('input', { id: noteId, maxlength: 1000, autocomplete: 'off' });
    const confirm = h('button', { type: 'button', class: 'primary', id: `link-confirm-${l.id}`, 'aria-describedby': head },
      t('linkConfirm'));
    const reject = h('button', { type: 'button', id: `link-reject-${l.id}`, 'aria-describedby': head }, t('linkReject'));
    const decide = async (decision: 'confirm' | 'reject') => {
      confirm.disabled = true;
      reject.disabled = true;
      status.className = 'status';
      status.textContent = t('loading');
      try {
        const after = await post<Link>(`/api/v1/links/${encodeURIComponent(l.id)}/decision`,
          { decision, note: note.value.trim() });
        const kept = after.kept === after.a.id ? after.a : after.kept === after.b.id ? after.b : null;
        const parts = after.state !== 'confirmed' ? [t('linkRejectedNow')]
          : kept ? tParts<Node>('linkConfirmedNow', { record: recordLabel(kept) }) : [t('linkStateConfirmed')];
        const next = linkRow(after, ctx, { parts, kind: 'info' });
        row.replaceWith(next);
        next.querySelector<HTMLElement>(`#link-status-${CSS.escape(l.id)}`)?.focus();
        if (after.state === 'confirmed') ctx.dataChanged();
      } catch (err) {
        confirm.disabled = false;
        reject.disabled = false;
        status.className = 'status error';
        status.setAttribute('role', 'alert');
        if (err instanceof ApiError && err.status === 409) {
          status.textContent = t('linkConflict');
          status.setAttribute('data-conflict', 'true');
          const reload = h('button', { type: 'button', class: 'link', id: `link-reload-${l.id}` }, t('linkReload'));
          reload.addEventListener('click', () => void ctx.go(ctx.state, ctx.offset).then(() => refocus('links-list-h')));
          status.append(' ', reload);
          confirm.disabled = true;
          reject.disabled = true;
        } else {
          status.textContent = ctx.errorText(err);
        }
      }
    };
    confirm.addEventListener('click', () => void decide('confirm'));
    reject.addEventListener('click', () => void decide('reject'));
    row.append(h('div', { class: 'link-decision', role: 'group', 'aria-labelledby': head },
      h('label', { for: noteId }, t('linkNote')), note,
      h('div', { class: 'buttons' }, confirm, reject, onMap)));
  } else {
    row.append(h('div', { class: 'buttons' }, onMap));
  }
  row.append(status);
  return row;
}

// The last "Find candidates" answer, shown again when the screen is drawn anew
// for its first page (the list it found starts there).
let lastFind: FindSummary | null = null;

function findSummary(s: FindSummary): string {
  const states = s.states ?? {};
  return `${t('linksFound', { n: s.candidates, incidents: s.incidents, fresh: s.new })} ${t('linksStates', {
    candidate: states.candidate ?? 0, confirmed: states.confirmed ?? 0, rejected: states.rejected ?? 0 })}`;
}

export async function renderLinks(panel: HTMLElement, ctx: LinksContext): Promise<void> {
  const stateNames: Record<LinkState, string> = {
    candidate: t('linksShowCandidate'), confirmed: t('linksShowConfirmed'), rejected: t('linksShowRejected'), all: t('linksShowAll'),
  };
  const show = h('select', { id: 'links-state' },
    ...LINK_STATES.map((s) => h('option', { value: s, selected: s === ctx.state }, stateNames[s])));
  const minScore = h('input', { id: 'links-min-score', type: 'number', min: 0.3, max: 1, step: 0.05, value: '0.6', dir: 'ltr',
    'aria-describedby': 'links-min-score-help' });
  const findStatus = h('p', { class: 'status', role: 'status', id: 'links-find-status' });
  const find = h('button', { type: 'button', class: 'primary', id: 'links-find' }, t('linksFind'));
  const list = h('ol', { class: 'link-list', id: 'links-list', 'aria-labelledby': 'links-list-h' });
  const range = h('p', { class: 'sub', id: 'links-range', role: 'status' });
  const prev = h('button', { type: 'button', id: 'links-prev' }, t('previous'));
  const next = h('button', { type: 'button', id: 'links-next' }, t('next'));
  const listHead = h('h3', { id: 'links-list-h', tabindex: -1 }, stateNames[ctx.state]);
  let offset = ctx.offset;
  let nextOffset: number | null = null;

  const load = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    let page: LinkPage;
    try {
      page = await get<LinkPage>('/api/v1/links', { state: ctx.state, limit: LINKS_PAGE, offset });
    } finally {
      list.removeAttribute('aria-busy');
    }
    if (!list.isConnected) return;
    clear(list);
    nextOffset = page.next_offset;
    prev.disabled = offset === 0;
    next.disabled = nextOffset === null;
    list.append(...page.items.map((l) => linkRow(l, ctx)));
    range.textContent = page.items.length
      ? t('linksRange', { first: num(offset + 1), last: num(offset + page.items.length) }) : '';
    if (!page.items.length) {
      list.append(h('li', { class: 'sub', id: 'links-empty' }, ctx.state === 'candidate' ? t('linksNoneCandidate') : t('linksNone')));
    }
  };
  const goTo = (o: number, from: string) => {
    offset = Math.max(0, o);
    void ctx.go(ctx.state, offset).then(() => refocus(from));
  };
  prev.addEventListener('click', () => goTo(offset - LINKS_PAGE, 'links-prev'));
  next.addEventListener('click', () => { if (nextOffset !== null) goTo(nextOffset, 'links-next'); });
  show.addEventListener('change', () => void ctx.go(show.value as LinkState, 0).then(() => refocus('links-state')));
  const showFound = (s: FindSummary) => {
    findStatus.className = 'status info';
    findStatus.textContent = findSummary(s);
    findStatus.setAttribute('data-new', String(s.new));
    findStatus.setAttribute('data-candidates', String(s.states?.candidate ?? ''));
  };
  if (lastFind) {
    showFound(lastFind);
    lastFind = null;
  }
  find.addEventListener('click', async () => {
    const v = Number(minScore.value);
    if (!minScore.checkValidity() || !Number.isFinite(v)) {
      findStatus.className = 'status error';
      findStatus.textContent = t('linksMinScoreBad');
      return;
    }
    find.disabled = true;
    findStatus.className = 'status';
    findStatus.textContent = t('linksFinding');
    try {
      const s = await post<FindSummary>(`/api/v1/links/find${query({ min_score: v })}`, {});
      showFound(s);
      offset = 0;
      if (ctx.offset !== 0) {
        lastFind = s;
        await ctx.go(ctx.state, 0);
        refocus('links-find');
      } else {
        await load();
      }
    } catch (err) {
      findStatus.className = 'status error';
      findStatus.textContent = ctx.errorText(err);
    } finally {
      find.disabled = false;
    }
  });

  panel.append(
    h('h2', {}, t('viewLinks')),
    h('p', { class: 'sub', id: 'links-intro' }, t('linksIntro')),
    h('details', { class: 'definition' }, h('summary', {}, t('linksRuleTitle')), h('p', {}, t('linksRule'))),
    h('div', { class: 'links-find' },
      h('label', { for: 'links-min-score' }, t('linksMinScore')), minScore,
      h('p', { class: 'sub', id: 'links-min-score-help' }, t('linksMinScoreHelp')),
      find, findStatus),
    h('div', { class: 'links-controls' },
      h('label', { for: 'links-state' }, t('linksShow')), show, range, prev, next),
    listHead,
    list);
  await load();
}
