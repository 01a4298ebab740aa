#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (the ctest fixture
# "postgresql"; also usable by hand):
#
#   tools/postgresql_cluster.sh start DIR SOCKET_DIR   # prints the base URI
#   tools/postgresql_cluster.sh stop DIR
#
# The cluster listens on a Unix socket only (no TCP), in SOCKET_DIR (short: a
# socket path is limited to 107 bytes), trusts local connections and runs
# without fsync (test data only). initdb refuses root, so as root the cluster
# runs as the `postgres` user that Debian's package creates. Tests connect as
# the role `postgres` to databases they create: URI
#   postgresql:///NAME?host=SOCKET_DIR&user=postgres
set -euo pipefail

usage() { echo "usage: $0 start DIR SOCKET_DIR | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 dir=$2
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  echo "postgresql_cluster: $bin/initdb not found; run scripts/setup.sh --test (postgresql-15)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    [ $# -eq 3 ] || usage
    sock=$3
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$sock"
    mkdir -p "$dir" "$sock"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir" "$sock"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off \
       -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$sock&user=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
