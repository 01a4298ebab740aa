# Shared by the benchmark scripts (sourced, not run): the release build and a served instance.
#
#   bench_build                          builds the `bench` preset unless CORRIDOR_BENCH_SKIP_BUILD
#                                        is set; sets $corridor (CORRIDOR_BIN overrides)
#   bench_serve DB LOG ERR [ARGS...]     starts `corridor serve` on a free loopback port; sets
#                                        $serve (its pid) and $port
#   bench_rss PID                        resident set size in kB
bench_build() {
  if [ -z "${CORRIDOR_BENCH_SKIP_BUILD:-}" ]; then
    bash scripts/setup.sh --bench >/dev/null
    cmake --preset bench >/dev/null
    cmake --build --preset bench --target corridor >/dev/null
  fi
  corridor="${CORRIDOR_BIN:-$root/build/bench/corridor}"
}

bench_serve() {
  local db="$1" log="$2" err="$3"
  shift 3
  "$corridor" --db "$db" serve --listen 127.0.0.1:0 "$@" >"$log" 2>"$err" &
  serve=$!
  port=""
  for _ in $(seq 1 200); do
    port=$(grep -oE '127\.0\.0\.1:[0-9]+/' "$log" 2>/dev/null | head -1 | cut -d: -f2 | tr -d / || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "bench: corridor serve did not start" >&2
  cat "$err" >&2
  return 1
}

bench_rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
