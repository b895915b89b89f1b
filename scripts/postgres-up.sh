#!/usr/bin/env bash
# TEST ONLY — never for a deployment: trust authentication (no passwords), no TLS, a throwaway
# cluster (docs/DEPLOYMENT.md sets up PostgreSQL for production).
# Starts a throwaway PostgreSQL cluster on loopback for the test suite (no systemd needed) and
# prints its URL. Idempotent. The role may create databases: every test run makes its own.
# Usage: scripts/postgres-up.sh [data-dir] [port]
set -euo pipefail
PGDATA=${1:-/tmp/shomei-pg}
PGPORT=${2:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  install -d -m 700 "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
  as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=trust >/dev/null
fi
if ! as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
fi
psql_() { as_postgres psql -h /tmp -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -c "SELECT 1 FROM pg_roles WHERE rolname='shomei'" | grep -q 1 || psql_ -c "CREATE ROLE shomei LOGIN CREATEDB PASSWORD 'shomei'"
psql_ -c "SELECT 1 FROM pg_database WHERE datname='shomei'" | grep -q 1 || psql_ -c "CREATE DATABASE shomei OWNER shomei"
echo "postgres://shomei:shomei@127.0.0.1:$PGPORT/shomei"
