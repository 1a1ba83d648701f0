#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers for the test suite, and prints the DATABASE_URL to use.
# DATABASE_URL set: that server is used as it is. Otherwise the local server on 127.0.0.1:5432
# is started, or installed from Debian's packages and started, with a password for user
# postgres so TCP logins work under the default scram-sha-256 rule too.
set -euo pipefail
if [ -n "${DATABASE_URL:-}" ]; then
  echo "$DATABASE_URL"
  exit 0
fi
url="postgres://postgres:postgres@127.0.0.1:5432/infobus"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed: installing it." >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
fi
if ! ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting PostgreSQL $version." >&2
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432." >&2
  exit 1
fi
if ! psql "${url%/infobus}/postgres" -qAtc "select 1" >/dev/null 2>&1; then
  # A fresh install: set the password over the local socket as the postgres system user.
  sql="ALTER USER postgres PASSWORD 'postgres'"
  if [ -z "$sudo" ]; then su postgres -c "psql -qc \"$sql\"" >&2; else sudo -u postgres psql -qc "$sql" >&2; fi
fi
psql "${url%/infobus}/postgres" -qAtc "select 1 from pg_database where datname='infobus'" \
  | grep -q 1 || psql "${url%/infobus}/postgres" -qc "CREATE DATABASE infobus" >&2
echo "$url"
