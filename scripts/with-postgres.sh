#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL: a temp cluster owned by the `postgres` user on a free port,
# its URL in SPOTCHECK_TEST_PG_URL; stopped and deleted on exit whatever happens.
set -euo pipefail

pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
  return 1
}
BIN=$(pg_bin || true)
if [ -z "$BIN" ]; then
  echo "PostgreSQL not found: installing it (apt-get install postgresql)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is required for the tests; install the 'postgresql' package" >&2; exit 1
  fi
  BIN=$(pg_bin)
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/spotcheck-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
chmod 700 "$DIR"

cleanup() {
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres spotcheck_test
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$PORT" >&2

export SPOTCHECK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/spotcheck_test"
set +e
"$@"
rc=$?
exit $rc
