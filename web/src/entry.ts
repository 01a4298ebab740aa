// The page's entry: asks for who is signed in and for the first view's data,
// then loads the application (Leaflet and all, about 200 KB to compile). The
// requests no longer wait for that bundle: they run while it loads and
// compiles, and the application reads their answers (api.ts shares identical
// reads made within a few seconds).
import './fonts.css';
import './style.css';
import { get, whoAmI } from './api';
import { cellDegFor } from './grid';
import { decodeState, filterParams } from './state';

const state = decodeState(location.search);
const f = filterParams(state);
// The user first: the browser opens six connections to a host, and this answer
// decides between the application and the sign-in page.
for (const p of [
  whoAmI(),
  get('/api/v1/areas.geojson', { level: 0, tolerance: 0.01 }),
  get('/api/v1/areas.geojson', { level: 1, tolerance: 0.01 }),
  state.zoom <= 6 ? get('/api/v1/stats/grid', { ...f, bbox: undefined, cell_deg: cellDegFor(state.zoom) }) : null,
  get('/api/v1/areas'),
  get('/api/v1/stats/timeline'),
  get('/api/v1/stats/timeline', f),
  get('/api/v1/stats', { by: 'category' }),
]) p?.catch(() => {});

void import('./main');
