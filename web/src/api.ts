// The client of Corridor's HTTP API (docs/api.md): same origin only, the
// session cookie plus X-CSRF-Token on writes; a 401 anywhere ends the session
// in the UI (back to sign-in with a message).

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const CSRF_KEY = 'corridor.csrf';
let onUnauthenticated: () => void = () => {};

export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

// Sign-in and sign-out start a new epoch: a 401 to a request made before it
// (the first view's requests, asked for before the user signed in) says
// nothing about the new session, and its answer is not shared with it.
let epoch = 0;

export function setCsrf(token: string | null): void {
  epoch++;
  forgetReads(); // nor may a new session reuse their answers
  if (token) localStorage.setItem(CSRF_KEY, token);
  else localStorage.removeItem(CSRF_KEY);
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function handle<T>(res: Response, quiet401: boolean, startedIn: number): Promise<T> {
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body?.error ?? { code: 'HTTP', message: `HTTP ${res.status}` };
    if (res.status === 401 && !quiet401 && startedIn === epoch) onUnauthenticated();
    throw new ApiError(res.status, err.code, err.message);
  }
  return body as T;
}

// Identical reads within a few seconds share one request (the first view asks
// for the same totals from several places); any write clears the cache.
const recent = new Map<string, { at: number; value: Promise<unknown> }>();
const REUSE_MS = 5000;

export async function get<T>(path: string, params: Record<string, string | number | undefined | null> = {},
                             signal?: AbortSignal): Promise<T> {
  const url = path + query(params);
  const hit = recent.get(url);
  if (hit && Date.now() - hit.at < REUSE_MS) return hit.value as Promise<T>;
  const startedIn = epoch;
  const value = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal })
    .then((res) => handle<T>(res, false, startedIn));
  recent.set(url, { at: Date.now(), value });
  value.catch(() => recent.delete(url));
  return value;
}

// A text document (CSV), never cached; errors as get's.
export async function getText(path: string, params: Record<string, string | number | undefined | null> = {}):
    Promise<{ text: string; next: string | null }> {
  const startedIn = epoch;
  const res = await fetch(path + query(params), { credentials: 'same-origin', headers: { Accept: 'text/csv' } });
  if (!res.ok) return handle(res, false, startedIn);
  return { text: await res.text(), next: res.headers.get('X-Next-Cursor') };
}

// An analysis that may take longer than a request's time budget: asked as a
// GET first; when the server answers 503 pointing to jobs (issue 12 #6), the
// same analysis is submitted as a job and polled until it is done, reporting
// its progress (0..1) to `onProgress`.
interface JobView { id: string; state: string; progress: number; message?: string; result?: unknown }

export async function getOrJob<T>(path: string, kind: string,
                                  params: Record<string, string | number | undefined | null> = {},
                                  onProgress?: (fraction: number) => void): Promise<T> {
  try {
    return await get<T>(path, params);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 503 || !/\/api\/v1\/jobs/.test(err.message)) throw err;
  }
  const textParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') textParams[k] = String(v);
  let job = await post<JobView>('/api/v1/jobs', { kind, params: textParams });
  for (;;) {
    onProgress?.(job.progress ?? 0);
    if (job.state === 'done') return job.result as T;
    if (job.state === 'failed' || job.state === 'cancelled') {
      throw new ApiError(500, 'Job', job.message ?? `job ${job.state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    job = await handle<JobView>(await fetch(`/api/v1/jobs/${job.id}`, {
      credentials: 'same-origin', headers: { Accept: 'application/json' },
    }), false, epoch);
  }
}

// Who is signed in (null: nobody), asked once per page load: the entry asks
// before the application's bundle is loaded, the application reads the answer.
let who: Promise<Me | null> | null = null;

export function whoAmI(): Promise<Me | null> {
  if (!who) {
    who = fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(async (res) => (res.ok ? ((await res.json()) as Me) : null));
  }
  return who;
}

export function forgetReads(): void {
  recent.clear();
}

export function post<T>(path: string, body: unknown, quiet401 = false): Promise<T> {
  return send<T>('POST', path, body, quiet401);
}

export function put<T>(path: string, body: unknown): Promise<T> {
  return send<T>('PUT', path, body, false);
}

async function send<T>(method: 'POST' | 'PUT', path: string, body: unknown, quiet401: boolean): Promise<T> {
  forgetReads();
  const startedIn = epoch;
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-CSRF-Token': localStorage.getItem(CSRF_KEY) ?? '',
    },
    body: JSON.stringify(body),
  });
  return handle<T>(res, quiet401, startedIn);
}

// ---- the shapes the application reads

export interface Me {
  username: string;
  organisation: string;
  roles: string[];
  second_factor: boolean;
  may?: string[]; // what the roles grant without an object ("read", "read-sites", ...)
  csrf_token?: string;
}

export interface Licence { id: string; attribution: string; redistribution?: boolean }
export interface Attribution { dataset: string; licence: Licence }

export interface Incident {
  id: string;
  date_start: string;
  date_end: string;
  category: string;
  latitude: number | null;
  longitude: number | null;
  location: string;
  admin1: string;
  admin2: string;
  killed: number | null;
  killed_low?: number | null;
  killed_high?: number | null;
  wounded: number | null;
  location_precision?: string; // exact, near, district, province, country, none
  date_precision?: string;
  headline: string;
  description: string;
  provenance: { dataset: string; dataset_version: string; source_id: string; file: string; line: number };
  licence: Licence;
  marking: string; // "TLP:AMBER"
  author?: string;
  author_org?: string;
}

export interface GridCell { lat: number; lon: number; count: number; killed: number; categories: Record<string, number> }
export interface GridResponse { cell_deg: number; total: number; cells: GridCell[] }
export interface MonthRow { month: string; count: number; killed: number }
export interface TimelineResponse { months: MonthRow[]; count: number; killed: number; data_through: string | null }
export interface Area { pcode: string; name: string; level: number; parent_pcode: string }
// GET /api/v1/places (docs/places.md): GeoNames places with their names in three languages.
export interface Place {
  geonameid: number; name: string; names: { en: string; ur: string; zh: string };
  lat: number; lon: number; population: number; admin1: string; admin2: string; feature_code: string;
  matched?: string;
}
export interface PlacesResponse { items: Place[]; attribution: string }
