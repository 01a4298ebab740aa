// Where the incidents of one map marker go when it is spread out ("spiderfied",
// issue 17 item 2): a circle around the marker for a few, an Archimedean spiral
// for more, each incident joined to the centre by a leg. Pure geometry in screen
// pixels, so that it can be tested without a map.
//
//        o   o            o  o
//      o   +   o        o  +  o o       + the marker's position
//        o   o           o     o        o an incident's marker
//     circle (n <= 8)    spiral (n > 8)
//
// The same approach as Leaflet.markercluster and OverlappingMarkerSpiderfier;
// the numbers are ours (markers of up to 11 px radius must not touch).

// Markers of at most this many incidents spread out when opened; larger ones
// open the list of their incidents.
export const SPIDERFY_MAX = 12;
// Up to this many on a circle; more on a spiral.
export const FAN_CIRCLE_MAX = 8;
// Centre to centre between neighbouring incidents' markers, and between the
// turns of the spiral.
export const FAN_SEPARATION_PX = 30;
// The shortest leg: the fanned markers clear the marker they came from.
export const FAN_MIN_LEG_PX = 32;

export interface Offset { x: number; y: number }

// Returns `n` offsets from the centre (x to the right, y down), the first at the
// top and the rest clockwise. Every two are at least FAN_SEPARATION_PX apart and
// every one at least FAN_MIN_LEG_PX from the centre. The map is never mirrored,
// so neither is the fan (whatever the language's direction).
export function fanOffsets(n: number): Offset[] {
  if (n <= 0) return [];
  const top = -Math.PI / 2;
  if (n <= FAN_CIRCLE_MAX) {
    // Neighbours on a circle of radius r are 2 r sin(pi / n) apart.
    const r = n === 1 ? FAN_MIN_LEG_PX : Math.max(FAN_MIN_LEG_PX, FAN_SEPARATION_PX / (2 * Math.sin(Math.PI / n)));
    return Array.from({ length: n }, (_, k) => at(r, top + (2 * Math.PI * k) / n));
  }
  // r = FAN_MIN_LEG_PX + b t, each step turning by the angle whose chord at the
  // current radius is FAN_SEPARATION_PX (the radius only grows, so neighbours
  // are no closer). A turn further out is 10% more than that farther out: a
  // marker a little behind one on the next turn in is then still far enough.
  const b = (1.1 * FAN_SEPARATION_PX) / (2 * Math.PI);
  const out: Offset[] = [];
  let turned = 0;
  for (let k = 0; k < n; k++) {
    const r = FAN_MIN_LEG_PX + b * turned;
    out.push(at(r, top + turned));
    turned += 2 * Math.asin(FAN_SEPARATION_PX / (2 * r));
  }
  return out;
}

function at(r: number, angle: number): Offset {
  return { x: r * Math.cos(angle), y: r * Math.sin(angle) };
}
