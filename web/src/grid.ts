// The server-side grid's cell size for a map zoom: about 20-40 pixels per cell
// at each zoom, few enough circles to read and to draw. Its own module, so the
// entry (entry.ts) can ask for the first view's grid without loading Leaflet.
export function cellDegFor(zoom: number): number {
  if (zoom <= 6) return 0.5;
  if (zoom <= 7) return 0.25;
  if (zoom <= 8) return 0.1;
  if (zoom <= 9) return 0.05;
  return 0.02;
}
