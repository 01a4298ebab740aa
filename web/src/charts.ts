// Hand-drawn SVG charts: the monthly histogram under the date range slider and
// the timeline of incidents and deaths. Time runs left to right, and right to
// left in Urdu (bidirectional interface guidelines); each chart has a text
// alternative (role="img" + aria-label) and a table for screen readers.
import type { MonthRow } from './api';
import { s } from './dom';
import { isRtl, month, num, pct, t, year } from './i18n';

const W = 320;

function xOf(i: number, n: number, width: number): number {
  const x = n <= 1 ? 0 : (i / n) * width;
  return isRtl() ? width - x - width / Math.max(n, 1) : x;
}

// Bars of monthly counts; months outside [lo, hi] are dimmed.
export function histogram(rows: MonthRow[], lo: number, hi: number): SVGElement {
  const H = 48;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const n = rows.length;
  const bw = W / Math.max(n, 1);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'histogram', role: 'img', preserveAspectRatio: 'none',
    'aria-label': t('histogramLabel'),
  });
  rows.forEach((r, i) => {
    const bh = (r.count / max) * (H - 2);
    svg.append(s('rect', {
      x: xOf(i, n, W).toFixed(2), y: (H - bh).toFixed(2), width: Math.max(bw, 0.6).toFixed(2),
      height: bh.toFixed(2), class: i >= lo && i <= hi ? 'bar in' : 'bar out',
    }));
  });
  return svg;
}

// Incidents per month as bars, deaths as a line on a second scale, with year
// ticks; `dataThrough` is written under the axis by the caller. With `onBrush`,
// dragging across the chart selects months [lo, hi] (a shaded band while
// dragging); the range sliders above are the keyboard way to the same filter.
export function timeline(rows: MonthRow[], onBrush?: (lo: number, hi: number) => void): SVGElement {
  const H = 150;
  const padTop = 8;
  const padBottom = 22;
  const plotH = H - padTop - padBottom;
  const n = rows.length;
  const maxC = Math.max(1, ...rows.map((r) => r.count));
  const maxK = Math.max(1, ...rows.map((r) => r.killed));
  const bw = W / Math.max(n, 1);
  const total = rows.reduce((a, r) => a + r.count, 0);
  const dead = rows.reduce((a, r) => a + r.killed, 0);
  const label = n ? `${t('timeline')}: ${month(rows[0].month + '-01')} – ${month(rows[n - 1].month + '-01')}, ` +
    `${t('incidentsCount', { n: total })}, ${t('deathsCount', { n: dead })}` : t('noData');
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img', 'aria-label': label });
  svg.append(s('line', { x1: 0, x2: W, y1: H - padBottom, y2: H - padBottom, class: 'axis' }));
  rows.forEach((r, i) => {
    const bh = (r.count / maxC) * plotH;
    svg.append(s('rect', {
      x: xOf(i, n, W).toFixed(2), y: (H - padBottom - bh).toFixed(2),
      width: Math.max(bw * 0.9, 0.5).toFixed(2), height: bh.toFixed(2), class: 'bar in',
    }, s('title', {}, `${month(r.month + '-01')}: ${num(r.count)} / ${num(r.killed)}`)));
  });
  if (n > 1) {
    const pts = rows.map((r, i) => {
      const x = xOf(i, n, W) + bw / 2;
      const y = H - padBottom - (r.killed / maxK) * plotH;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    svg.append(s('polyline', { points: pts.join(' '), class: 'deaths' }));
  }
  // Year ticks: at most ~6 labels.
  const years = rows.map((r, i) => ({ i, y: r.month.slice(0, 4), m: r.month.slice(5) }))
    .filter((r) => r.m === '01' || r.i === 0);
  const step = Math.max(1, Math.ceil(years.length / 6));
  years.filter((_, k) => k % step === 0).forEach((yr) => {
    const x = xOf(yr.i, n, W) + (isRtl() ? bw : 0);
    svg.append(s('line', { x1: x, x2: x, y1: H - padBottom, y2: H - padBottom + 4, class: 'axis' }));
    // A label reads away from its tick, but turns back at either edge so that
    // none is clipped ("1989" at the right-to-left axis's start was).
    let anchor = isRtl() ? 'end' : 'start';
    if (x < 30) anchor = 'start';
    else if (x > W - 30) anchor = 'end';
    svg.append(s('text', { x, y: H - 6, class: 'tick', 'text-anchor': anchor }, year(`${yr.y}-01-01`)));
  });
  if (onBrush && n > 0) brush(svg, n, H - padBottom, onBrush);
  return svg;
}

function brush(svg: SVGElement, n: number, height: number, onBrush: (lo: number, hi: number) => void): void {
  const band = s('rect', { class: 'brush', x: 0, y: 0, width: 0, height, visibility: 'hidden' });
  svg.append(band);
  const bw = W / n;
  // The month under a pointer, from its place in the drawn chart (it scales).
  const monthAt = (clientX: number): number => {
    const box = svg.getBoundingClientRect();
    const frac = Math.min(0.9999, Math.max(0, (clientX - box.left) / Math.max(1, box.width)));
    const i = Math.floor(frac * n);
    return isRtl() ? n - 1 - i : i;
  };
  let start: number | null = null;
  let end = 0;
  const draw = () => {
    if (start === null) return;
    const lo = Math.min(start, end);
    const hi = Math.max(start, end);
    const x1 = xOf(lo, n, W);
    const x2 = xOf(hi, n, W);
    band.setAttribute('x', Math.min(x1, x2).toFixed(2));
    band.setAttribute('width', (Math.abs(x2 - x1) + bw).toFixed(2));
    band.setAttribute('visibility', 'visible');
  };
  svg.addEventListener('pointerdown', (e) => {
    start = end = monthAt(e.clientX);
    svg.setPointerCapture(e.pointerId);
    draw();
  });
  svg.addEventListener('pointermove', (e) => {
    if (start === null) return;
    end = monthAt(e.clientX);
    draw();
  });
  const finish = (e: PointerEvent, apply: boolean) => {
    if (start === null) return;
    end = monthAt(e.clientX);
    const lo = Math.min(start, end);
    const hi = Math.max(start, end);
    start = null;
    band.setAttribute('visibility', 'hidden');
    if (apply) onBrush(lo, hi);
  };
  svg.addEventListener('pointerup', (e) => finish(e, true));
  svg.addEventListener('pointercancel', (e) => finish(e, false));
}

// One bin of a reliability diagram (the backtest's `reliability`).
export interface ReliabilityBin { p_lo: number; p_hi: number; n: number; mean_predicted: number; observed: number }
export interface ReliabilitySeries { name: string; cls: string; bins: ReliabilityBin[] }

// Reliability diagram: for each method, the observed share of cell-months
// with an event against the mean forecast probability of its bin, dot area by
// the bin's cell-months; on the diagonal a forecast is calibrated. Probability
// axes are not reversed in Urdu (they are not time). The text alternative
// lists every point.
export function reliability(series: ReliabilitySeries[]): SVGElement {
  const S = 230;
  const pad = 42; // left and bottom: ticks and axis labels
  const plot = S - pad - 14;
  const x = (p: number) => pad + p * plot;
  const y = (p: number) => 8 + (1 - p) * plot;
  const maxN = Math.max(1, ...series.flatMap((m) => m.bins.map((b) => b.n)));
  const points = series.map((m) => `${m.name}: ` + m.bins.filter((b) => b.n > 0)
    .map((b) => `${pct(b.mean_predicted)} → ${pct(b.observed)} (${num(b.n)})`).join(', '));
  const svg = s('svg', {
    viewBox: `0 0 ${S} ${S}`, class: 'reliability', role: 'img', dir: 'ltr',
    'aria-label': `${t('calibration')}. ${points.join('. ')}`,
  });
  svg.append(s('rect', { x: pad, y: 8, width: plot, height: plot, class: 'frame' }));
  for (const p of [0, 0.5, 1]) {
    svg.append(s('text', { x: x(p), y: y(0) + 12, class: 'tick', 'text-anchor': 'middle' }, pct(p)));
    svg.append(s('text', { x: pad - 3, y: y(p) + 3, class: 'tick', 'text-anchor': 'end' }, pct(p)));
  }
  svg.append(s('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: 'diagonal' }));
  svg.append(s('text', { x: x(0.5), y: y(0) + 26, class: 'axis-label', 'text-anchor': 'middle' }, t('predicted')));
  svg.append(s('text', {
    x: 10, y: y(0.5), class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 10 ${y(0.5)})`,
  }, t('observed')));
  for (const m of series) {
    const shown = m.bins.filter((b) => b.n > 0);
    svg.append(s('polyline', {
      points: shown.map((b) => `${x(b.mean_predicted).toFixed(1)},${y(b.observed).toFixed(1)}`).join(' '),
      class: `curve ${m.cls}`,
    }));
    for (const b of shown) {
      svg.append(s('circle', {
        cx: x(b.mean_predicted).toFixed(1), cy: y(b.observed).toFixed(1),
        r: (1.5 + 4 * Math.sqrt(b.n / maxN)).toFixed(1), class: `dot ${m.cls}`,
      }, s('title', {}, `${m.name}: ${pct(b.mean_predicted, 1)} → ${pct(b.observed, 1)}, ${num(b.n)}`)));
    }
  }
  return svg;
}
