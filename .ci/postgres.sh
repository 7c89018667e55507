#!/usr/bin/env bash
# Installs (Debian's postgresql) and starts PostgreSQL on loopback for the tests that need it, and creates the
# role they use. Prints the connection string the tests read from KMSDASH_TEST_POSTGRES. Idempotent; needs root
# or sudo. Usage: export KMSDASH_TEST_POSTGRES="$(bash .ci/postgres.sh)"
set -euo pipefail
SUDO=""; AS_PG="runuser -u postgres --"
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG="sudo -u postgres"; fi
if ! command -v pg_lsclusters >/dev/null; then
  echo "== installing postgresql" >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >&2
fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  $SUDO pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
version=$(echo "$cluster" | awk '{print $1}'); name=$(echo "$cluster" | awk '{print $2}'); port=$(echo "$cluster" | awk '{print $3}')
if ! echo "$cluster" | grep -q online; then
  $SUDO pg_ctlcluster "$version" "$name" start >&2
fi
for _ in $(seq 1 30); do
  $AS_PG psql -p "$port" -qAtc "select 1" >/dev/null 2>&1 && break
  sleep 1
done
$AS_PG psql -p "$port" -qAtc "select 1 from pg_roles where rolname='kmsdash'" | grep -q 1 \
  || $AS_PG psql -p "$port" -qc "create role kmsdash login createdb password 'kmsdash'" >&2
echo "Host=127.0.0.1;Port=$port;Username=kmsdash;Password=kmsdash"
