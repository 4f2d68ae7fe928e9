# shellcheck shell=bash
# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh`): starts a
# throwaway PostgreSQL server for the sqldedup tests and exports its address
# in INEXOPAY_TEST_POSTGRES_DSN. The server listens on 127.0.0.1 only, on a
# free port picked at random, runs as the postgres user from a temporary data
# folder, and is stopped (and the folder removed) when the sourcing shell
# exits. Debian's postgresql package is installed when no initdb is found;
# no cluster of the package's own is created or started.

inexopay_pg_bin=""
inexopay_pg_find() {
  local d
  inexopay_pg_bin=""
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then inexopay_pg_bin="$d"; fi
  done
}
inexopay_pg_find
if [ -z "$inexopay_pg_bin" ]; then
  echo "== installing postgresql (Debian package)"
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/inexopay-ci.conf
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
  inexopay_pg_find
  if [ -z "$inexopay_pg_bin" ]; then echo "postgresql installed but no initdb in /usr/lib/postgresql/*/bin"; exit 1; fi
fi
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres

inexopay_pg_as() { runuser -u postgres -- "$@"; }

inexopay_pg_dir="$(mktemp -d /tmp/inexopay-pg.XXXXXX)"
chown postgres: "$inexopay_pg_dir"
chmod 700 "$inexopay_pg_dir"
inexopay_pg_stop() {
  if [ -n "${inexopay_pg_dir:-}" ] && [ -f "$inexopay_pg_dir/data/postmaster.pid" ]; then
    inexopay_pg_as "$inexopay_pg_bin/pg_ctl" -D "$inexopay_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${inexopay_pg_dir:-}" ] && rm -rf "$inexopay_pg_dir"
  return 0
}
trap inexopay_pg_stop EXIT

echo "== postgresql: $("$inexopay_pg_bin/postgres" --version)"
inexopay_pg_as "$inexopay_pg_bin/initdb" -D "$inexopay_pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$inexopay_pg_dir/initdb.log" 2>&1 ||
  { cat "$inexopay_pg_dir/initdb.log"; exit 1; }

# Pick a random port in 20000..59999 that nothing listens on; postgres itself
# fails to start when another process took it in the meantime: try again.
inexopay_pg_port=""
for _ in 1 2 3 4 5 6 7 8; do
  p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then continue; fi
  if inexopay_pg_as "$inexopay_pg_bin/pg_ctl" -D "$inexopay_pg_dir/data" -l "$inexopay_pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$p -c unix_socket_directories=$inexopay_pg_dir -c max_connections=300 -c fsync=off -c full_page_writes=off" \
    start >/dev/null; then
    inexopay_pg_port="$p"
    break
  fi
done
if [ -z "$inexopay_pg_port" ]; then cat "$inexopay_pg_dir/server.log"; echo "postgresql did not start"; exit 1; fi
inexopay_pg_as "$inexopay_pg_bin/createdb" -h 127.0.0.1 -p "$inexopay_pg_port" -U postgres inexopay_test
export INEXOPAY_TEST_POSTGRES_DSN="postgres://postgres@127.0.0.1:$inexopay_pg_port/inexopay_test?sslmode=disable"
echo "== postgresql listening on 127.0.0.1:$inexopay_pg_port (INEXOPAY_TEST_POSTGRES_DSN)"
