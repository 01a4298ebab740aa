import { describe, expect, it } from 'vitest';
import { FAN_CIRCLE_MAX, FAN_MIN_LEG_PX, FAN_SEPARATION_PX, SPIDERFY_MAX, fanOffsets, type Offset } from './fan';

const length = (p: Offset) => Math.hypot(p.x, p.y);

function closestPair(ps: Offset[]): number {
  let d = Infinity;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) d = Math.min(d, Math.hypot(ps[i].x - ps[j].x, ps[i].y - ps[j].y));
  }
  return d;
}

describe('spreading a marker out (spiderfy)', () => {
  it('gives one position per incident, none for none', () => {
    expect(fanOffsets(0)).toEqual([]);
    for (let n = 1; n <= 40; n++) expect(fanOffsets(n)).toHaveLength(n);
  });

  it('starts at the top and goes clockwise (y grows downwards on screen)', () => {
    const [first, second] = fanOffsets(4);
    expect(first.x).toBeCloseTo(0);
    expect(first.y).toBeCloseTo(-FAN_MIN_LEG_PX);
    expect(second.x).toBeGreaterThan(0);
  });

  it('puts a few on one circle, no closer to the centre than the shortest leg', () => {
    const cases = [
      { n: 2, r: FAN_MIN_LEG_PX },
      { n: 6, r: FAN_MIN_LEG_PX },
      { n: 8, r: FAN_SEPARATION_PX / (2 * Math.sin(Math.PI / 8)) },
    ];
    for (const c of cases) {
      for (const p of fanOffsets(c.n)) expect(length(p)).toBeCloseTo(c.r, 6);
    }
  });

  it('puts more on a spiral that only grows outwards', () => {
    const ps = fanOffsets(FAN_CIRCLE_MAX + 1);
    expect(length(ps[0])).toBeCloseTo(FAN_MIN_LEG_PX, 6);
    for (let k = 1; k < ps.length; k++) expect(length(ps[k])).toBeGreaterThan(length(ps[k - 1]));
  });

  it('keeps every two markers apart and all within a small area', () => {
    for (let n = 2; n <= 40; n++) {
      const ps = fanOffsets(n);
      expect(closestPair(ps), `n=${n}`).toBeGreaterThanOrEqual(FAN_SEPARATION_PX - 1e-9);
      for (const p of ps) expect(length(p)).toBeGreaterThanOrEqual(FAN_MIN_LEG_PX - 1e-9);
    }
    // The largest fan the map draws stays within a 200 px square around the marker.
    for (const p of fanOffsets(SPIDERFY_MAX)) expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThan(100);
  });
});
