// Colours: categories (distinguishable, and readable on the light base map)
// and sequential ramps for choropleths and densities.

export const CATEGORY_COLORS: Record<string, string> = {
  'armed-clash': '#1f6fb2',
  'violence-against-civilians': '#c2410c',
  'remote-violence': '#7c3aed',
  'bombing': '#b91c1c',
  'suicide-bombing': '#831843',
  'armed-assault': '#0f766e',
  'assassination': '#854d0e',
  'kidnapping-hostage': '#be185d',
  'facility-attack': '#4d7c0f',
  'unarmed-assault': '#0369a1',
  'hijacking': '#6b21a8',
  'unknown': '#525252',
};

export function categoryColor(c: string): string {
  return CATEGORY_COLORS[c] ?? '#525252';
}

// Yellow-orange-red, 6 classes (ColorBrewer YlOrRd), for scores on 0..10.
export const RISK_RAMP = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
// Purple, for structural vulnerability (a condition, not a threat: a different hue).
export const VULN_RAMP = ['#f2f0f7', '#dadaeb', '#bcbddc', '#9e9ac8', '#756bb1', '#54278f'];
// Density (hotspots) and forecast intensity.
export const HEAT_RAMP = ['#fee5d9', '#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15'];
export const FORECAST_RAMP = ['#edf8fb', '#bfd3e6', '#9ebcda', '#8c96c6', '#8856a7', '#810f7c'];

export function rampColor(ramp: string[], x: number, max: number): string {
  if (!(max > 0) || !Number.isFinite(x)) return ramp[0];
  const i = Math.min(ramp.length - 1, Math.max(0, Math.floor((x / max) * ramp.length)));
  return ramp[i];
}
