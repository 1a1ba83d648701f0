#!/usr/bin/env bash
# Restore a dump into a scratch database and check that every table has as many rows as
# the dump says it should: proof that the backup can be restored, without touching the
# live database.
#   scripts/restore-check.sh DUMP_FILE [SCRATCH_DB_NAME]
# SERVER_URL (default: DATABASE_URL with its database replaced by "postgres") names the
# server where the scratch database is created and dropped again.
set -euo pipefail
dump="${1:?usage: restore-check.sh DUMP_FILE [SCRATCH_DB_NAME]}"
scratch="${2:-infobus_restore_check}"
server="${SERVER_URL:-${DATABASE_URL%/*}/postgres}"
scratch_url="${server%/*}/$scratch"
case "$scratch" in *[!a-z0-9_]*) echo "scratch name must be [a-z0-9_]" >&2; exit 2;; esac

psql "$server" -qAtc "DROP DATABASE IF EXISTS $scratch" >/dev/null
psql "$server" -qAtc "CREATE DATABASE $scratch" >/dev/null
trap 'psql "$server" -qAtc "DROP DATABASE IF EXISTS $scratch" >/dev/null' EXIT
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

# The expected counts come from the dump itself: the number of data lines of each table.
expected=$(pg_restore --data-only --file=- "$dump" | awk '
  /^COPY public\./ { table = $2; sub(/^public\./, "", table); n = 0; counting = 1; next }
  counting && /^\\\.$/ { print table, n; counting = 0; next }
  counting { n++ }')
status=0
tables=0
while read -r table count; do
  [ -n "$table" ] || continue
  tables=$((tables + 1))
  actual=$(psql "$scratch_url" -qAtc "SELECT count(*) FROM public.\"${table//\"/}\"")
  if [ "$actual" != "$count" ]; then
    echo "MISMATCH $table: dump has $count rows, restored $actual" >&2
    status=1
  fi
done <<< "$expected"
[ "$status" -eq 0 ] && echo "restore ok: $tables tables, row counts match"
exit $status
