#!/usr/bin/env bash
# The Hawkes fit beside R surveillance twinstim on the same 5,000 simulated
# events (same run, ratio of fit times, both log-likelihoods), and alone at
# 50,000 events. Outside CI.   bench/hawkes.sh [PEER_EVENTS] [ALONE_EVENTS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
n="${1:-5000}"
big="${2:-50000}"
bash scripts/setup.sh --bench >/dev/null
cmake --preset bench >/dev/null
cmake --build --preset bench --target hawkes_bench >/dev/null
work="$root/build/bench/work/hawkes"
mkdir -p "$work"
bin="$root/build/bench/bench/hawkes_bench"
ours=$("$bin" "$n" 20240501 "$work/events.csv")
peer=$(Rscript bench/hawkes_peer.R "$work/events.csv")
alone=$("$bin" "$big" 20240502 "$work/events-big.csv")
python3 - "$ours" "$peer" "$alone" <<'PY'
import json, sys
o, p, a = (json.loads(x) for x in sys.argv[1:])
print(f"Hawkes fit, {o['events']:,} simulated events (truth theta 0.5, omega 0.2/day)")
print(f"  corridor EM (cell model)     {o['seconds']:8.3f} s  theta {o['theta']:.3f} omega {o['omega']:.3f}"
      f"  loglik {o['loglik']:.1f} (per km2: {o['loglik_per_km2']:.1f})")
print(f"  twinstim (disc trigger)      {p['seconds']:8.3f} s  theta {p['theta']:.3f} omega {p['omega']:.3f}"
      f"  loglik {p['loglik']:.1f}  converged {p['converged']}")
print(f"  ratio twinstim/corridor: {p['seconds']/o['seconds']:.1f}x  (goal >= 10x)")
print(f"alone: {a['events']:,} events in {a['seconds']:.3f} s, theta {a['theta']:.3f} omega {a['omega']:.3f}")
print(json.dumps({"bench": "hawkes", "events": o["events"], "corridor_s": o["seconds"],
                  "twinstim_s": p["seconds"], "ratio": round(p["seconds"] / o["seconds"], 2),
                  "corridor_loglik_per_km2": o["loglik_per_km2"], "twinstim_loglik": p["loglik"],
                  "alone_events": a["events"], "alone_s": a["seconds"]}))
PY
