#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: its data in a temporary folder, listening on 127.0.0.1 only, run as
# the postgres user when this script runs as root (initdb refuses root).
#   scripts/test-postgres.sh start DIR   -> starts it, prints the connection string on stdout (DIR is created;
#                                          its parent must be open to the postgres user, e.g. /tmp)
#   scripts/test-postgres.sh stop DIR    -> stops it and deletes DIR
set -euo pipefail

action="${1:?start or stop}"
dir="${2:?a folder for the cluster}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ]; then
  echo "error: PostgreSQL is not installed (scripts/install-test-dependencies.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    as_owner "'$bin/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 > '$dir/initdb.log' 2>&1"
    as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_preload_libraries=pg_stat_statements\" start > /dev/null"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate stop > /dev/null 2>&1" || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "error: unknown action $action (start or stop)" >&2
    exit 2
    ;;
esac
